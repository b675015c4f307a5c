import Dashboard
import Losses
import Foundation
import Synchronization
import Testing
@testable import Training

/// The live `fit` arrangement without a terminal: the trainer on its own Thread
/// sending events into a `DashboardStore`, while this thread takes snapshots and
/// presses keys through `TrainingControl` (pause, save, stop), as LiveFit's
/// presenter does. Run under `make test-tsan` to check the locking.
@Suite("Trainer on a thread with a live store")
struct ConcurrentTrainingTests {
    @Test func keysAndSnapshotsWhileTrainingOnAThread() throws {
        let f = try TrainerFixture()
        defer { try? FileManager.default.removeItem(at: f.directory) }
        let control = TrainingControl()
        let trainer = try f.trainer(epochs: 100_000)
        let stepped = try trainer.rebuilt(control: control)
        let store = DashboardStore()
        stepped.observers.append { event in
            switch event {
            case .batchEnded(let b):
                store.append(.batchEnd(Dashboard.BatchEnd(epoch: b.epoch, step: b.step, batch: b.batch, loss: b.loss,
                                                          avgLoss: b.runningLoss, lr: b.learningRate,
                                                          samplesPerSec: b.samplesPerSecond, elapsed: b.elapsed)))
            case .checkpointSaved(let path, let kind, let epoch):
                store.append(.checkpointSaved(CheckpointSaved(path: path, kind: .init(rawValue: kind) ?? .manual, epoch: epoch)))
            case .message(_, let text):
                store.append(.message(RunMessage(level: .info, text: text)))
            default:
                break
            }
        }
        // NSLock rather than Mutex here: TSan cannot see Mutex's futex on Linux (Tests/sanitizers/tsan.supp).
        let outcome = Locked<Result<TrainerEvent.EndReason, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let handoff = UncheckedBox((stepped, try f.loader()))
        let thread = Thread {
            let (trainer, loader) = handoff.value
            let result = Result { try trainer.fit(train: loader, validation: nil) }
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

        let reason = try #require(outcome.withLock { $0 }).get()
        #expect(reason == .stopped)
        #expect(store.snapshot().rawLoss.count >= 200)
        #expect(FileManager.default.fileExists(atPath: f.directory.appendingPathComponent("last.safetensors").path))
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

extension Trainer {
    /// The same model, loss steps, optimizer, config and checkpointer with another control.
    fileprivate func rebuilt(control: TrainingControl) throws -> Trainer {
        let copy = Trainer(model: model, optimizer: optimizer, config: config, task: task, control: control,
                           trainingStep: trainingStep, validationStep: validationStep)
        copy.checkpointer = checkpointer
        return copy
    }
}

@Suite("Errors inside training callbacks")
struct TrainingCallbackErrorTests {
    struct LossFailure: Error, CustomStringConvertible {
        var description: String { "loss callback failed at step 9" }
    }

    @Test func anErrorThrownByTheLossEndsTheRunAndKeepsTheLastCheckpoint() throws {
        let f = try TrainerFixture()
        defer { try? FileManager.default.removeItem(at: f.directory) }
        let crossEntropy = try Losses.LossRegistry.standard.make(name: "cross_entropy")
        let calls = Mutex(0)
        // 6 batches per epoch: epoch 1 completes and saves `last`, step 9 throws.
        let trainer = try f.trainer(epochs: 3, loss: { output, targets in
            let call = calls.withLock { $0 += 1; return $0 }
            if call == 9 { throw LossFailure() }
            return try crossEntropy(output, Losses.LossTarget(targets))
        })
        var ended: [TrainerEvent.EndReason] = []
        trainer.observers.append { if case .runEnded(let reason, _, _, _) = $0 { ended.append(reason) } }
        let last = f.directory.appendingPathComponent("last.safetensors")
        let error = try #require(throws: LossFailure.self) { try trainer.fit(train: f.loader(), validation: nil) }
        #expect(error.description == "loss callback failed at step 9")
        let saved = try SafetensorsFile.read(from: last)
        #expect(saved.metadata["trainboard.state"]?.contains("\"step\":6") == true)
        #expect(ended.isEmpty)   // the caller (fit's summary) reports the error, not the trainer
    }
}
