import Autograd
import Foundation
import NN
import TensorCore
import Testing
@testable import Checkpoint
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A SIGKILL during a save leaves the atomic writer's temporary file
/// (`.NAME.PID.UUID.tmp`) behind (issue 19): the next save of the run removes it, and
/// nothing else: not files of another name pattern, not a live process's temporaries.
@Suite("Stale temporary files")
struct StaleTemporaryFileTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stale-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A pid no process can have: above Linux's largest `pid_max` (2^22). (No child process is
    /// spawned for it: tests share the process, and every file descriptor in it.)
    private func deadPID() throws -> Int32 {
        let pid = Int32.max
        try #require(kill(pid, 0) == -1 && errno == ESRCH)
        return pid
    }

    private func touch(_ dir: URL, _ name: String, _ text: String = "partial") throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    private func save(into dir: URL, kind: Checkpointer.Kind = .last) throws {
        let parameter = Parameter(name: "0.weight", variable: Variable(Tensor([1, 2, 3])))
        _ = try Checkpointer(directory: dir).save(
            kind: kind, step: 7, parameters: [parameter],
            snapshot: TrainingSnapshot(loopState: #"{"epoch":1,"step":7}"#, optimizerState: [:]))
    }

    @Test func theNextSaveRemovesTemporariesOfDeadWritersAndNothingElse() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dead = try deadPID(), uuid = UUID().uuidString
        let stale = [".last.safetensors.\(dead).\(uuid).tmp",              // killed while saving last
                     ".best.safetensors.\(dead).\(UUID().uuidString).tmp",  // killed while saving best
                     ".last.safetensors.\(getpid()).\(UUID().uuidString).tmp"]  // an earlier process with our pid
        let kept = ["notes.txt", ".last.safetensors.tmp", ".last.safetensors.\(dead).not-a-uuid.tmp",
                    "last.safetensors.\(dead).\(uuid).tmp",                 // no leading dot: not the writer's
                    ".last.safetensors.\(getppid()).\(UUID().uuidString).tmp"]  // a live writer (our parent's pid)
        for name in stale + kept { try touch(dir, name) }
        try save(into: dir)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(listing == (kept + ["last.safetensors"]).sorted())
        for name in kept { #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == "partial") }
    }

    @Test func aSaveOfAnotherKindAlsoCleansTheDirectory() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = ".last.safetensors.\(try deadPID()).\(UUID().uuidString).tmp"
        try touch(dir, name)
        try save(into: dir, kind: .best)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["best.safetensors"])
    }
}

@Suite("Temporary file names")
struct TemporaryNameTests {
    @Test func theWritersPatternIsRecognisedAndNothingElse() {
        let uuid = UUID().uuidString
        #expect(AtomicFile.temporaryOwner(of: ".last.safetensors.123.\(uuid).tmp")! == ("last.safetensors", 123))
        #expect(AtomicFile.temporaryOwner(of: ".summary.json.7.\(uuid).tmp")! == ("summary.json", 7))
        #expect(AtomicFile.temporaryOwner(of: AtomicFile.temporaryName(for: "x.bin"))! == ("x.bin", getpid()))
        for name in ["last.safetensors.123.\(uuid).tmp", ".last.safetensors.123.\(uuid)", ".last.safetensors.abc.\(uuid).tmp",
                     ".last.safetensors.123.not-a-uuid.tmp", "..123.\(uuid).tmp", ".123.\(uuid).tmp", ".x.-5.\(uuid).tmp", ".tmp"] {
            #expect(AtomicFile.temporaryOwner(of: name) == nil, "\(name)")
        }
    }

    @Test func anAtomicWriteRemovesStaleTemporariesOfItsOwnName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stale-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = ".summary.json.\(getpid()).\(UUID().uuidString).tmp", other = ".metrics.csv.\(getpid()).\(UUID().uuidString).tmp"
        for name in [mine, other] { try Data("partial".utf8).write(to: dir.appendingPathComponent(name)) }
        try AtomicFile.write(Data("{}".utf8), to: dir.appendingPathComponent("summary.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [other, "summary.json"])
    }
}
