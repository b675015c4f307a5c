import Foundation
import Testing
@testable import Dashboard

@Suite("Event schema")
struct RunEventTests {
    let codec = EventCodec()

    @Test func batchEndDecodesSnakeCaseFields() {
        let line = #"{"type":"batch_end","epoch":2,"step":57,"batch":17,"loss":0.81,"avg_loss":0.9,"lr":0.001,"grad_norm":1.2,"samples_per_sec":1234.5,"elapsed":12.5}"#
        #expect(codec.parse(line) == .event(.batchEnd(BatchEnd(epoch: 2, step: 57, batch: 17, loss: 0.81, avgLoss: 0.9, lr: 0.001,
                                                                 gradNorm: 1.2, samplesPerSec: 1234.5, elapsed: 12.5))))
    }

    @Test func everyEventRoundTripsThroughALine() throws {
        let events = TestRuns.events(task: .multiclass, epochsDone: 1) + TestRuns.events(task: .binary, epochsDone: 1) + [
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
        let line = try codec.line(for: .runStarted(TestRuns.started()))
        for key in ["\"loss_options\"", "\"class_names\"", "\"steps_per_epoch\"", "\"batch_size\"", "\"started_at\"", "\"parameters\""] {
            #expect(line.contains(key), "missing \(key) in \(line)")
        }
        #expect(!line.contains("stepsPerEpoch"))
        let end = try codec.line(for: .runEnded(RunEnded(reason: .earlyStopped, summary: ["test_accuracy": 0.9])))
        #expect(end.contains("\"early_stopped\"") && end.contains("\"test_accuracy\""))
    }

    @Test func unknownTypesAreSkippedNotFatal() {
        #expect(codec.parse(#"{"type":"gpu_stats","util":0.9}"#) == .event(.unknown(type: "gpu_stats")))
        var model = DashboardModel()
        model.apply(codec.parse(#"{"type":"gpu_stats","util":0.9}"#))
        #expect(model == DashboardModel())
    }

    @Test func malformedLinesBecomeWarnings() {
        guard case .malformed(let reason) = codec.parse(#"{"type":"batch_end","epoch":"#) else {
            Issue.record("expected malformed")
            return
        }
        #expect(reason.contains("malformed"))
        #expect(codec.parse("   ") == .blank)
        var model = DashboardModel()
        model.apply(codec.parse("not json"))
        #expect(model.messages.map(\.level) == [.warning])
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
            let text = try String(contentsOf: TestRuns.fixtureURL(name), encoding: .utf8)
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
