import Foundation
import Testing
@testable import RunEvents

/// The binary curves of `epoch_end`: `roc` / `pr` as `[[x, y], …]` and `average_precision`.
@Suite("epoch_end curves")
struct EpochCurveTests {
    let codec = EventCodec()

    @Test func curvesAreArraysOfPairsOnTheWire() throws {
        let event = RunEvent.epochEnd(EpochEnd(epoch: 2, step: 20, trainLoss: 0.3, valLoss: 0.25, valAccuracy: 0.9,
                                               auroc: 0.875, threshold: 0.5,
                                               roc: [CurvePoint(x: 0, y: 0), CurvePoint(x: 0, y: 0.5), CurvePoint(x: 0.5, y: 1), CurvePoint(x: 1, y: 1)],
                                               pr: [CurvePoint(x: 0, y: 1), CurvePoint(x: 1, y: 0.6667)], averagePrecision: 0.8333))
        let line = try codec.line(for: event)
        #expect(line.contains(#""roc":[[0,0],[0,0.5],[0.5,1],[1,1]]"#), "\(line)")
        #expect(line.contains(#""pr":[[0,1],[1,0.6667]]"#) && line.contains(#""average_precision":0.8333"#))
        #expect(codec.parse(line) == .event(event))
    }

    @Test func linesOfOlderVersionsWithoutCurvesStillDecode() throws {
        let line = #"{"auroc": 0.8061, "elapsed": 1.5, "epoch": 1, "f1": 0.7102, "precision": 0.7361, "recall": 0.6861, "threshold": 0.5, "train_accuracy": 0.7861, "train_loss": 0.413212, "type": "epoch_end", "val_accuracy": 0.7661, "val_loss": 0.467475}"#
        guard case .event(.epochEnd(let epoch)) = codec.parse(line) else {
            Issue.record("an epoch_end without curves did not decode")
            return
        }
        #expect(epoch.auroc == 0.8061 && epoch.roc == nil && epoch.pr == nil && epoch.averagePrecision == nil)
    }

    @Test func aPointIsExactlyTwoNumbers() {
        for bad in [#"[[0,0,1]]"#, #"[[0]]"#, #"[{"x":0,"y":0}]"#] {
            let line = #"{"type":"epoch_end","epoch":1,"train_loss":0.5,"roc":"# + bad + "}"
            guard case .malformed = codec.parse(line) else {
                Issue.record("roc \(bad) decoded")
                continue
            }
        }
    }

    @Test func roundingKeepsFourSignificantDigits() {
        let point = CurvePoint(x: 0.000123456, y: 0.987654321).rounded(significantDigits: 4)
        #expect(point.x == 0.0001235 && point.y == 0.9877)
        #expect(CurvePoint(x: 0, y: 1).rounded(significantDigits: 4) == CurvePoint(x: 0, y: 1))
    }
}
