import Foundation
import Synchronization
import Testing
@testable import Run
import Config
import RunEvents
import Training

/// Issue 16, "a run never destroys another run's record": a second run of the same config,
/// runs at the same time, `--overwrite` and an explicit checkpoint directory.
@Suite("Run directories: versions, locks, overwrite")
struct RunDirectoryTests {
    /// Every file under `directory` (recursively) and its bytes.
    static func files(in directory: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = "\(directory)/\(name)"
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = FileManager.default.contents(atPath: path)
            }
        }
        return out
    }

    @Test func aSecondRunOfTheSameConfigLeavesTheFirstRecordByteForByte() throws {
        let logDir = RunFixture.newLogDir()
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let first = try RunFixture.iris(["trainer.max_epochs=2"], logDir: logDir).0.execute()
        let before = Self.files(in: first.summary.directory)
        #expect(before["checkpoints/last.safetensors"] != nil && before["checkpoints/best.safetensors"] != nil)
        #expect(before["events.jsonl"] != nil && before["metrics.csv"] != nil && before["summary.json"] != nil)

        // Different settings, so that overwritten files would differ.
        let second = try RunFixture.iris(["trainer.max_epochs=3", "optimizer.lr=0.05"], logDir: logDir).0.execute()
        #expect(first.summary.directory == "\(logDir)/version_0")
        #expect(second.summary.directory == "\(logDir)/version_1" && second.summary.version == 1)
        #expect(Self.files(in: first.summary.directory) == before)
        #expect(try RunSummary.read(from: "\(logDir)/version_1/summary.json").epochs == 3)
    }

    @Test func runsStartedTogetherNeverShareADirectory() throws {
        let logDir = RunFixture.newLogDir()
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let claimed = Collected<RunDirectory>()   // kept alive, so every lock is held to the end
        DispatchQueue.concurrentPerform(iterations: 8) { _ in claimed.append(try! RunDirectory.claim(logDir: logDir)) }
        let versions = claimed.values.map(\.version)
        #expect(Set(versions) == Set((0..<8).map { Optional($0) }))
    }

    @Test func aRunIntoARunningRunsDirectoryFailsNamingItAndThePid() throws {
        let logDir = RunFixture.newLogDir()
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let control = TrainingControl()
        let (long, _) = try RunFixture.iris(["trainer.max_epochs=100000", "trainer.log_every_steps=1000"],
                                            control: control, logDir: logDir)
        let finished = DispatchSemaphore(value: 0)
        let result = Mutex<Result<RunOutcome, any Error>?>(nil)
        let box = Box(long)
        Thread {
            let outcome = Result { try box.value.execute() }
            result.withLock { $0 = outcome }
            finished.signal()
        }.start()
        let running = "\(logDir)/version_0"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: "\(running)/checkpoints/last.safetensors"), Date() < deadline {
            usleep(20_000)
        }

        // --overwrite would take the newest version, which is running: refused.
        let overwriting = try RunFixture.iris(["trainer.max_epochs=1"], logDir: logDir).0
        #expect(throws: RunDirectoryError.locked(running, pid: getpid())) { try overwriting.claimDirectory(overwrite: true) }
        let message = RunDirectoryError.locked(running, pid: getpid()).description
        #expect(message.hasPrefix("\(running) is in use by another run (pid \(getpid())): wait for it to end or stop it"))
        #expect(!message.contains("\n"))
        // Resuming the running run in place: refused too.
        let resuming = try RunFixture.iris(["trainer.max_epochs=100000", "trainer.resume=\(running)/checkpoints/last.safetensors"],
                                           logDir: logDir).0
        #expect(throws: RunDirectoryError.locked(running, pid: getpid())) { try resuming.execute() }
        // A new run goes beside it.
        let beside = try RunFixture.iris(["trainer.max_epochs=1"], logDir: logDir).0.execute()
        #expect(beside.summary.directory == "\(logDir)/version_1")

        control.requestStop()
        #expect(finished.wait(timeout: .now() + 60) == .success)
        let outcome = try #require(result.withLock { $0 }).get()
        #expect(outcome.summary.directory == running && outcome.reason == .stopped)
        let started = try RunFixture.events(in: running).compactMap { event -> RunStarted? in
            if case .runStarted(let started) = event { started } else { nil }
        }
        #expect(started.count == 1 && started.first?.epochs == 100000)   // nobody else wrote there
        // Released when the run ended: the directory can be resumed now.
        #expect(try RunDirectory.claim(logDir: logDir, resume: "\(running)/checkpoints/last.safetensors").path == running)
    }

    @Test func overwriteReplacesTheNewestVersionOnly() throws {
        let logDir = RunFixture.newLogDir()
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        _ = try RunFixture.iris(["trainer.max_epochs=2"], logDir: logDir).0.execute()
        let newest = "\(logDir)/version_0"
        try FileManager.default.copyItem(atPath: "\(newest)/checkpoints/last.safetensors",
                                         toPath: "\(newest)/checkpoints/step-3.safetensors")
        let run = try RunFixture.iris(["trainer.max_epochs=1"], logDir: logDir).0
        #expect(try run.claimDirectory(overwrite: true).placement == .overwritten)
        let outcome = try run.execute()
        #expect(outcome.summary.directory == newest && outcome.summary.epochs == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(newest)/checkpoints/step-3.safetensors"))
        #expect(try RunFixture.events(in: newest).filter { if case .runStarted = $0 { true } else { false } }.count == 1)
        #expect(RunDirectory.versions(in: logDir) == [0])
    }

    @Test func anExplicitCheckpointDirectoryHoldingCheckpointsIsReplacedOnlyWithOverwrite() throws {
        let logDir = RunFixture.newLogDir()
        defer { try? FileManager.default.removeItem(atPath: logDir) }
        let checkpoints = "\(logDir)/shared-checkpoints"
        _ = try RunFixture.iris(["trainer.max_epochs=1", "trainer.checkpoint_dir=\(checkpoints)"], logDir: logDir).0.execute()
        let before = Self.files(in: checkpoints).filter { !$0.key.hasPrefix(".") }
        #expect(before.keys.sorted() == ["best.safetensors", "last.safetensors"])

        let second = try RunFixture.iris(["trainer.max_epochs=2", "trainer.checkpoint_dir=\(checkpoints)"], logDir: logDir).0
        #expect(throws: RunDirectoryError.checkpointsExist(checkpoints, files: ["best.safetensors", "last.safetensors"])) {
            try second.execute()
        }
        #expect(Self.files(in: checkpoints).filter { !$0.key.hasPrefix(".") } == before)
        #expect(RunDirectory.versions(in: logDir) == [0])   // the refused run left no empty version behind
        #expect(RunDirectoryError.checkpointsExist(checkpoints, files: ["last.safetensors"]).description.contains("--overwrite"))

        // Resuming from one of them continues that record; --overwrite replaces it.
        let resumed = try RunFixture.iris(["trainer.max_epochs=2", "trainer.checkpoint_dir=\(checkpoints)",
                                           "trainer.resume=\(checkpoints)/last.safetensors"], logDir: logDir).0
        #expect(try resumed.execute().summary.epochs == 2)
        let replaced = try RunFixture.iris(["trainer.max_epochs=1", "trainer.checkpoint_dir=\(checkpoints)"], logDir: logDir).0
        try replaced.claimDirectory(overwrite: true)
        #expect(try replaced.execute().summary.epochs == 1)
    }
}

/// Moves a non-Sendable value to the training thread, which alone uses it afterwards.
struct Box<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Values appended from several threads, behind an NSLock.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []
    func append(_ value: Value) { lock.withLock { stored.append(value) } }
    var values: [Value] { lock.withLock { stored } }
}
