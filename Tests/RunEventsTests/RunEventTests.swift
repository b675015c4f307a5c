import Foundation
import Testing
@testable import RunEvents

@Suite("Event schema")
struct RunEventTests {
    let codec = EventCodec()

    @Test func batchEndDecodesSnakeCaseFields() {
        let line = #"{"type":"batch_end","epoch":2,"step":57,"batch":17,"loss":0.81,"avg_loss":0.9,"lr":0.001,"grad_norm":1.2,"samples_per_sec":1234.5,"elapsed":12.5}"#
        #expect(codec.parse(line) == .event(.batchEnd(BatchEnd(epoch: 2, step: 57, batch: 17, loss: 0.81, avgLoss: 0.9, lr: 0.001,
                                                                 gradNorm: 1.2, samplesPerSec: 1234.5, elapsed: 12.5))))
    }

    @Test func dataParallelFieldsDecodeAndAreOptional() throws {
        let line = #"{"type":"batch_end","epoch":1,"step":3,"batch":3,"loss":0.5,"avg_loss":0.6,"lr":0.01,"samples_per_sec":900,"allreduce_ms":0.125,"elapsed":1.5}"#
        guard case .event(.batchEnd(let batch)) = codec.parse(line) else { Issue.record("not a batch_end"); return }
        #expect(batch.allreduceMs == 0.125)
        #expect(BatchEndScannerTests().scanned(line)?.allreduceMs == 0.125)
        var started = SampleEvents.started
        #expect(!(try codec.line(for: .runStarted(started))).contains("world_size"))
        started.worldSize = 2
        let startLine = try codec.line(for: .runStarted(started))
        #expect(startLine.contains("\"world_size\":2"))
        #expect(codec.parse(startLine) == .event(.runStarted(started)))
    }

    @Test func everyEventRoundTripsThroughALine() throws {
        let events = SampleEvents.oneOfEach + [
            .paused(true), .runEnded(RunEnded(reason: .earlyStopped, summary: ["test_accuracy": 0.97, "wall_seconds": 12])),
            .message(RunMessage(level: .error, text: "NaN loss")),
        ]
        for event in events {
            let line = try codec.line(for: event)
            #expect(!line.contains("\n"))
            #expect(line.contains("\"type\":\"\(event.typeName)\""))
            #expect(codec.parse(line) == .event(event))
        }
    }

    @Test func fieldNamesAreSnakeCaseOnTheWire() throws {
        let line = try codec.line(for: .runStarted(SampleEvents.started))
        for key in ["\"loss_options\"", "\"class_names\"", "\"steps_per_epoch\"", "\"batch_size\"", "\"started_at\"", "\"parameters\""] {
            #expect(line.contains(key), "missing \(key) in \(line)")
        }
        #expect(!line.contains("stepsPerEpoch"))
        let end = try codec.line(for: .runEnded(RunEnded(reason: .earlyStopped, summary: ["test_accuracy": 0.9])))
        #expect(end.contains("\"early_stopped\"") && end.contains("\"test_accuracy\""))
    }

    @Test func unknownTypesDecodeAsUnknown() {
        #expect(codec.parse(#"{"type":"gpu_stats","util":0.9}"#) == .event(.unknown(type: "gpu_stats")))
    }

    @Test func malformedLinesSayWhy() {
        guard case .malformed(let reason) = codec.parse(#"{"type":"batch_end","epoch":"#) else {
            Issue.record("expected malformed")
            return
        }
        #expect(reason.contains("malformed"))
        #expect(codec.parse("   ") == .blank)
    }

    @Test func unknownEnumValuesAreErrorsNotFallbacks() {
        guard case .malformed = codec.parse(#"{"type":"run_ended","reason":"exploded","summary":{}}"#) else {
            Issue.record("an unknown end reason decoded")
            return
        }
        guard case .malformed = codec.parse(#"{"type":"checkpoint_saved","path":"a","kind":"weekly","epoch":1}"#) else {
            Issue.record("an unknown checkpoint kind decoded")
            return
        }
    }

    @Test func nonFiniteNumbersTravelAsStrings() throws {
        let event = RunEvent.batchEnd(BatchEnd(epoch: 1, step: 3, batch: 3, loss: .nan, avgLoss: .infinity, lr: 0.1,
                                               samplesPerSec: 10, elapsed: 1))
        let line = try codec.line(for: event)
        #expect(line.contains("\"nan\"") && line.contains("\"inf\""))
        guard case .event(.batchEnd(let batch)) = codec.parse(line) else {
            Issue.record("did not decode")
            return
        }
        #expect(batch.loss.isNaN && batch.avgLoss == .infinity)
    }

    @Test func validationIsAnAliasOfEpochEnd() {
        #expect(codec.parse(#"{"type":"validation","epoch":1,"train_loss":0.5,"val_loss":0.6}"#)
            == .event(.epochEnd(EpochEnd(epoch: 1, trainLoss: 0.5, valLoss: 0.6))))
    }

    @Test func fixtureFilesDecodeCompletely() throws {
        for name in ["multiclass", "binary"] {
            let text = try String(contentsOf: SampleEvents.fixtureURL(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard case .event(let event) = codec.parse(line) else {
                    Issue.record("\(name): \(line)")
                    continue
                }
                if case .unknown = event { Issue.record("unknown event in fixture: \(line)") }
            }
        }
    }
}

/// One event of each kind, every optional field set somewhere.
enum SampleEvents {
    static let started = RunStarted(
        run: "mnist-mlp", config: "Config/mnist.yaml", task: .multiclass, loss: "cross_entropy",
        lossOptions: ["label_smoothing": "0.1"], model: ModelSummary(layers: ["Linear(784→128)", "ReLU"], parameters: 100_867),
        seed: 42, classNames: ["cat", "dog", "bird"], epochs: 5, stepsPerEpoch: 10, batchSize: 32,
        startedAt: "2025-01-01T00:00:00Z")

    static let oneOfEach: [RunEvent] = [
        .runStarted(started),
        .batchEnd(BatchEnd(epoch: 1, step: 1, batch: 0, loss: 2, avgLoss: 2, lr: 0.001, gradNorm: 1.5, samplesPerSec: 640,
                           elapsed: 0.5)),
        .epochEnd(EpochEnd(epoch: 1, step: 10, trainLoss: 0.4, trainAccuracy: 0.8, valLoss: 0.5, valAccuracy: 0.81,
                           confusion: [[17, 2], [3, 15]], perClassRecall: [0.85, 0.75], macroF1: 0.8, top5Accuracy: 1)),
        .epochEnd(EpochEnd(epoch: 2, trainLoss: 0.3, valLoss: 0.4, valAccuracy: 0.9, precision: 0.91, recall: 0.87,
                           f1: 0.89, auroc: 0.95, threshold: 0.5, elapsed: 3)),
        .checkpointSaved(CheckpointSaved(path: "runs/mnist/best.safetensors", kind: .best, epoch: 2)),
        .message(RunMessage(level: .warning, text: "loss lint: softmax before cross_entropy")),
    ]

    /// `Tests/Fixtures/events/NAME.jsonl`, found from this source file's path.
    static func fixtureURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/events/\(name).jsonl")
    }
}
