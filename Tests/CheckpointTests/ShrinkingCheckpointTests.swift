import Foundation
import Synchronization
import TensorCore
import Testing
@testable import Checkpoint
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A checkpoint that another process truncates while it is being read gives an error,
/// never a signal (issue 19: a memory-mapped read ended the process with SIGBUS).
private final class Flag: Sendable {
    let value = Atomic(false)
}

@Suite("Checkpoints shrinking while read")
struct ShrinkingCheckpointTests {
    private func checkpoint() throws -> (url: URL, bytes: Data, tensor: Tensor) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("model.safetensors")
        let tensor = Tensor(shape: [256, 1024], scalars: (0..<(256 * 1024)).map { Float($0 % 1000) })   // 1 MiB
        try SafetensorsFile.write(tensors: ["w": tensor], metadata: ["step": "1"], to: url)
        return (url, try Data(contentsOf: url), tensor)
    }

    /// One thread rewrites the same file in place and truncates it, over and over, while
    /// this one reads it a fixed number of times: every read is the whole tensor or an error.
    @Test func readsRacingAnInPlaceTruncationNeverTrap() throws {
        let (url, bytes, tensor) = try checkpoint()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let done = Flag(), finished = DispatchSemaphore(value: 0)
        let path = url.path
        let truncator = Thread {
            let fd = open(path, O_WRONLY)
            defer { close(fd); finished.signal() }
            while !done.value.load(ordering: .relaxed) {
                _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                _ = ftruncate(fd, 64)
            }
            _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        truncator.start()
        var (complete, failed) = (0, 0)
        for _ in 0..<200 {
            do {
                let file = try SafetensorsFile.read(from: url)
                #expect(file["w"] == tensor)
                complete += 1
            } catch is SafetensorsError {
                failed += 1
            }
        }
        done.value.store(true, ordering: .relaxed)
        finished.wait()
        #expect(complete + failed == 200)
    }
}

/// The same, deterministically: the file is truncated between opening it and reading it.
@Suite("Checkpoint truncated after open")
struct TruncatedAfterOpenTests {
    @Test(arguments: [0, 8, 100, 4096, 500_000])
    func aFileTruncatedAfterOpenIsAnError(size: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try SafetensorsFile.write(tensors: ["w": Tensor(repeating: 1, shape: [512, 512])], metadata: [:], to: url)
        let full = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        let error = try #require(throws: SafetensorsError.self) {
            try SafetensorsFile.read(from: url, beforeReading: { _ = truncate(url.path, off_t(size)) })
        }
        #expect(error.description == "\(url.path): the file shrank while being read: expected \(full) bytes (its size when opened), read \(size)")
    }
}
