import Dashboard
import Foundation
import Testing
@testable import Run
import Config
import RunEvents
import Training

/// The live `fit` arrangement without a terminal: a whole run on its own Thread
/// sending events into a `DashboardStore`, while this thread takes snapshots and
/// presses keys through `TrainingControl` (pause, save, stop), as LiveFit's
/// presenter does. Run under `make test-tsan` to check the locking.
@Suite("A run on a thread with a live store")
struct ConcurrentTrainingTests {
    @Test func keysAndSnapshotsWhileTrainingOnAThread() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try RunConfig.load(path: RunFixture.config("iris.yaml"),
                                        overrides: ["trainer.max_epochs=100000", "log_dir=\(directory.path)"])
        let control = TrainingControl()
        let store = DashboardStore()
        // NSLock rather than Mutex here: TSan cannot see Mutex's futex on Linux (Tests/sanitizers/tsan.supp).
        let outcome = Locked<Result<RunOutcome, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let handoff = UncheckedBox(try TrainingRun(config: config, control: control))
        let thread = Thread {
            let result = Result { try handoff.value.execute(sink: store.append) }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()

        // Presenter: snapshots and keys while the trainer runs.
        var snapshots = 0
        let deadline = Date().addingTimeInterval(60)
        while store.snapshot().rawLoss.count < 200, Date() < deadline {
            _ = store.snapshot()
            snapshots += 1
            if snapshots % 50 == 0 { control.togglePause(); control.togglePause() }
            if snapshots % 120 == 0 { control.requestSave() }
            store.update { $0.handle(.toggleLogScale) }
        }
        control.togglePause()            // paused…
        _ = store.snapshot()
        control.requestStop()            // …and stop resumes and ends the run
        #expect(finished.wait(timeout: .now() + 60) == .success)

        let result = try #require(outcome.withLock { $0 }).get()
        #expect(result.reason == .stopped)
        #expect(store.snapshot().rawLoss.count >= 200)
        #expect(store.snapshot().ended?.reason == .stopped)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("version_0/checkpoints/last.safetensors").path))
        #expect(store.snapshot().lastCheckpoint != nil)
    }
}

/// A value behind an NSLock.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

/// Moves a non-Sendable value to the training thread, which alone uses it afterwards.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
