import Foundation
import Testing
import TensorCore
@testable import Checkpoint
import NN
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in `dir`, sorted.
private func listing(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
}

private struct BodyFailure: Error, Equatable {}

@Suite("Atomic file writes")
struct AtomicFileTests {
    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("summary.json")
        try AtomicFile.write(Data("{\"v\":1}".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "{\"v\":1}")
        try AtomicFile.write(Array("{\"v\":2}".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "{\"v\":2}")
        #expect(try listing(dir) == ["summary.json"])
    }

    @Test func failingBodyKeepsThePreviousFileAndRemovesTheTemporary() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("summary.json")
        try AtomicFile.write(Data("old".utf8), to: url)
        var temporary = ""
        #expect(throws: BodyFailure()) {
            try AtomicFile.write(to: url) { file in
                try file.write(Data("half of the new".utf8))
                temporary = file.temporaryPath
                #expect(FileManager.default.fileExists(atPath: temporary))
                throw BodyFailure()
            }
        }
        #expect(temporary.hasPrefix(dir.path + "/.summary.json.") && temporary.hasSuffix(".tmp"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try listing(dir) == ["summary.json"])
    }

    @Test func diskFullIsReportedWithPathAndErrnoText() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("summary.json")
        try AtomicFile.write(Data("old".utf8), to: url)
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.write(to: url, capacity: 4) { try $0.write(Data("too long".utf8)) }
        }
        #expect(error.code == ENOSPC)
        #expect(error.description.hasPrefix("cannot write \(url.path): write to temporary file \(dir.path)/.summary.json."))
        #expect(error.description.hasSuffix("failed: No space left on device (errno \(ENOSPC))"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try listing(dir) == ["summary.json"])
    }

    @Test func failedRenameRemovesTheTemporary() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("occupied")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: url.appendingPathComponent("inside"))
        let error = try #require(throws: AtomicFileError.self) { try AtomicFile.write(Data("x".utf8), to: url) }
        #expect(error.step.hasPrefix("rename "))
        #expect(error.code == EISDIR)
        #expect(error.description.contains("Is a directory"))
        #expect(try listing(dir) == ["occupied"])
        #expect(try listing(url) == ["inside"])
    }

    @Test func missingDirectoryIsReported() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("no/such/dir/summary.json")
        let error = try #require(throws: AtomicFileError.self) { try AtomicFile.write(Data("x".utf8), to: url) }
        #expect(error.code == ENOENT)
        #expect(error.description.hasPrefix("cannot write \(url.path): create temporary file"))
        #expect(error.description.hasSuffix("No such file or directory (errno \(ENOENT))"))
    }

    /// A directory the process may not write into (`EACCES`), injected: root, which CI runs
    /// as, ignores permissions. For other users the real read-only directory is checked too.
    @Test func readOnlyDirectoryKeepsThePreviousFile() throws {
        let dir = try makeTemporaryDirectory()
        defer {
            chmod(dir.path, 0o755)
            try? FileManager.default.removeItem(at: dir)
        }
        let url = dir.appendingPathComponent("model.safetensors")
        try SafetensorsFile.write(tensors: ["w": Tensor([1, 2])], to: url)
        var failures = [try AtomicFile.$faults.withValue(.init(createError: EACCES)) {
            try #require(throws: SafetensorsError.self) { try SafetensorsFile.write(tensors: ["w": Tensor([3, 4])], to: url) }
        }]
        if geteuid() != 0 {
            chmod(dir.path, 0o555)
            failures.append(try #require(throws: SafetensorsError.self) {
                try SafetensorsFile.write(tensors: ["w": Tensor([3, 4])], to: url)
            })
        }
        for error in failures {
            guard case let .writeFailed(underlying) = error else { Issue.record("expected writeFailed, got \(error)"); continue }
            #expect(underlying.code == EACCES && underlying.path == url.path)
            #expect(underlying.step.hasPrefix("create temporary file \(dir.path)/.model.safetensors."))
            #expect(error.description.hasSuffix("Permission denied (errno \(EACCES))"))
        }
        #expect(try SafetensorsFile.read(from: url)["w"] == Tensor([1, 2]))
        #expect(try listing(dir) == ["model.safetensors"])
    }

    /// The faults `faults_test.sh` sets through the environment, and where they apply.
    @Test func injectedFaultsApplyInsideTheirDirectoryOnly() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full")
        try FileManager.default.createDirectory(at: full, withIntermediateDirectories: false)
        let disk = AtomicFile.Faults(capacity: 0, directory: full.path)
        let error = try AtomicFile.$faults.withValue(disk) {
            try AtomicFile.write(Data("x".utf8), to: dir.appendingPathComponent("outside.json"))
            return try #require(throws: AtomicFileError.self) {
                try AtomicFile.write(Data("x".utf8), to: full.appendingPathComponent("inside.json"))
            }
        }
        #expect(error.code == ENOSPC && error.description.hasSuffix("No space left on device (errno \(ENOSPC))"))
        #expect(try listing(dir) == ["full", "outside.json"] && listing(full).isEmpty)
        // A pause happens once per write, with the temporary file holding the first bytes.
        var seen: [Int] = []
        let started = ContinuousClock.now
        try AtomicFile.$faults.withValue(.init(pauseSeconds: 0.05)) {
            try AtomicFile.write(to: dir.appendingPathComponent("slow.bin")) { file in
                try file.write([1, 2, 3])
                seen.append(try FileManager.default.attributesOfItem(atPath: file.temporaryPath)[.size] as! Int)
                try file.write([4])
            }
        }
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        #expect(seen == [3])
        #expect(try Data(contentsOf: dir.appendingPathComponent("slow.bin")) == Data([1, 2, 3, 4]))
        #expect(AtomicFile.Faults.environment == .none, "TRAINBOARD_TEST_* set in the test environment")
    }

    @Test func failedCheckpointWriteKeepsThePreviousCheckpoint() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try SafetensorsFile.write(tensors: ["w": Tensor([1, 2])], metadata: ["step": "1"], to: url)
        let big = Tensor(repeating: 5, shape: [1000])
        let error = try #require(throws: SafetensorsError.self) {
            try SafetensorsFile.write(
                tensors: [(name: "w", tensor: big)], metadata: ["step": "2"], to: url, diskCapacity: 1000)
        }
        guard case let .writeFailed(underlying) = error else {
            Issue.record("expected writeFailed, got \(error)")
            return
        }
        #expect(underlying.code == ENOSPC && underlying.path == url.path)
        #expect(error.description.contains("No space left on device"))
        let previous = try SafetensorsFile.read(from: url)
        #expect(previous["w"] == Tensor([1, 2]) && previous.metadata == ["step": "1"])
        #expect(try listing(dir) == ["model.safetensors"])
    }
}

@Suite("Checkpoint matching")
struct CheckpointMatchingTests {
    @Test func matchingListsEveryProblemAtOnce() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ckpt.safetensors")
        try SafetensorsFile.write(tensors: [
            "0.weight": .zeros([4, 3]), "0.bias": .zeros([3]),
            "2.weight": .zeros([2, 3]), "extra.a": .zeros([1]), "extra.b": .zeros([1]),
        ], to: url)
        let file = try SafetensorsFile.read(from: url)
        let expected: [(name: String, shape: [Int])] = [
            ("0.weight", [3, 4]), ("0.bias", [3]), ("2.weight", [2, 3]), ("2.bias", [2]), ("4.weight", [1, 2]),
        ]
        let error = try #require(throws: SafetensorsError.self) { try file.matching(expected: expected) }
        #expect(error == .modelMismatch(
            path: url.path, missing: ["2.bias", "4.weight"], unexpected: ["extra.a", "extra.b"],
            shapeMismatches: [ShapeMismatch(name: "0.weight", expected: [3, 4], found: [4, 3])]))
        #expect(error.description == "\(url.path): does not match the model: "
            + "missing 2 (\"2.bias\", \"4.weight\"); unexpected 2 (\"extra.a\", \"extra.b\"); "
            + "shape mismatch 1 (0.weight: expected [3, 4], found [4, 3])")
    }

    @Test func longListsAreShortenedInTheMessageButKeptInTheError() throws {
        let names = (0..<25).map { "p\($0)" }
        let file = try SafetensorsFile.decode(safetensorsBytes(header: "{}"), path: "empty.safetensors")
        let error = try #require(throws: SafetensorsError.self) {
            try file.matching(expected: names.map { (name: $0, shape: [1]) })
        }
        guard case let .modelMismatch(_, missing, _, _, _) = error else { Issue.record("\(error)"); return }
        #expect(missing == names)
        #expect(error.description.hasSuffix("\"p9\", … and 15 more)"))
    }

    @Test func matchingModelParametersLoadsThem() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        var rng = SeededGenerator(seed: 11)
        let trained = Sequential([Linear(4, 3, rng: &rng), Activation(.relu), Linear(3, 2, rng: &rng)])
        let fresh = Sequential([Linear(4, 3, rng: &rng), Activation(.relu), Linear(3, 2, rng: &rng)])
        try SafetensorsFile.write(parameters: trained.parameters, metadata: ["epoch": "3"], to: url)
        let values = try SafetensorsFile.read(from: url).matching(parameters: fresh.parameters)
        #expect(values.count == 4)
        for parameter in trained.parameters {
            #expect(values[parameter.name] == parameter.value)
        }
        let wider = Sequential([Linear(4, 5, rng: &rng)])
        let error = try #require(throws: SafetensorsError.self) {
            try SafetensorsFile.read(from: url).matching(parameters: wider.parameters)
        }
        #expect(error.description.contains("0.weight: expected [5, 4], found [3, 4]"))
        #expect(error.description.contains("unexpected 2 (\"2.bias\", \"2.weight\")"))
    }

    @Test func integerOrBooleanTensorsForParametersAreDTypeMismatches() throws {
        // 0.weight stored as I32 and 0.bias as BOOL: right shapes, wrong kind of values.
        let header = #"{"0.bias":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]},"#
            + #""0.weight":{"dtype":"I32","shape":[2,1],"data_offsets":[2,10]},"#
            + #""1.bias":{"dtype":"F16","shape":[1],"data_offsets":[10,12]}}"#
        let file = try SafetensorsFile.decode(safetensorsBytes(header: header, buffer: [UInt8](repeating: 0, count: 12)),
                                              path: "ints.safetensors")
        let expected: [(name: String, shape: [Int])] = [("0.weight", [2, 1]), ("0.bias", [2]), ("1.bias", [1])]
        let error = try #require(throws: SafetensorsError.self) { try file.matching(expected: expected) }
        let floats = SafetensorsFile.parameterDTypes
        #expect(error == .modelMismatch(path: "ints.safetensors", missing: [], unexpected: [], shapeMismatches: [],
                                        dtypeMismatches: [DTypeMismatch(name: "0.weight", expected: floats, found: .i32),
                                                          DTypeMismatch(name: "0.bias", expected: floats, found: .bool)]))
        #expect(error.description == "ints.safetensors: does not match the model: dtype mismatch 2 "
            + "(0.weight: expected F32/F64/F16/BF16, found I32, 0.bias: expected F32/F64/F16/BF16, found BOOL)")
        // F16 converts to the Float32 parameter; a caller may also widen the accepted set.
        #expect(try file.matching(expected: expected, dtypes: SafetensorsDType.allCases).count == 3)
    }
}
