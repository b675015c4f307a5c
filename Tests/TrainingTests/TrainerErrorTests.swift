import Checkpoint
import Foundation
import Losses
import RunEvents
import Synchronization
import Testing
@testable import Training

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
        var ended: [RunEnded.Reason] = []
        trainer.observers.append { if case .runEnded(let end) = $0 { ended.append(end.reason) } }
        let last = f.directory.appendingPathComponent("last.safetensors")
        let error = try #require(throws: LossFailure.self) { try trainer.fit(train: f.loader(), validation: nil) }
        #expect(error.description == "loss callback failed at step 9")
        let saved = try SafetensorsFile.read(from: last)
        #expect(saved.metadata["trainboard.state"]?.contains("\"step\":6") == true)
        #expect(ended.isEmpty)   // the caller (fit's summary) reports the error, not the trainer
    }
}
