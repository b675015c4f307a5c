import Foundation
import RunEvents
import Synchronization
import Testing
@testable import Run

@Suite("RunRecorder and trainer.log_every_n_steps")
struct RunRecorderTests {
    static func batch(_ step: Int, epoch: Int) -> RunEvent {
        .batchEnd(BatchEnd(epoch: epoch, step: step, batch: (step - 1) % 7 + 1, loss: 1, avgLoss: 1, lr: 0.1,
                           samplesPerSec: 1, elapsed: Double(step)))
    }

    @Test func everyNthStepAndTheLatestBeforeOtherEventsReachTheFileTheSinkGetsAll() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recorder-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seen = Mutex<[Int]>([])
        let recorder = try RunRecorder(directory: directory, logEverySteps: 5) { event in
            if case .batchEnd(let batch) = event { seen.withLock { $0.append(batch.step) } }
        }
        for epoch in 1...2 {
            for step in (epoch - 1) * 7 + 1...epoch * 7 { recorder.record(Self.batch(step, epoch: epoch)) }
            recorder.record(.epochEnd(EpochEnd(epoch: epoch, step: epoch * 7, trainLoss: 1)))
        }
        recorder.record(Self.batch(15, epoch: 3))
        recorder.send(.runEnded(RunEnded(reason: .stopped)))
        let codec = EventCodec()
        let events = try String(contentsOfFile: "\(directory)/events.jsonl", encoding: .utf8).split(separator: "\n").map(codec.parse)
        let written = events.map { line -> String in
            guard case .event(let event) = line else { return "?" }
            if case .batchEnd(let batch) = event { return "\(batch.step)" }
            return event.typeName
        }
        #expect(written == ["5", "7", "epoch_end", "10", "14", "epoch_end", "15", "run_ended"])
        #expect(seen.withLock { $0 } == Array(1...15))
    }
}
