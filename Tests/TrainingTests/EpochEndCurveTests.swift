import Metrics
import RunEvents
import TensorCore
import Testing
@testable import Training

/// The `epoch_end` of a binary validation carries its curves, cut for the wire.
@Suite("epoch_end curves")
struct EpochEndCurveTests {
    /// An evaluation of 300 samples with distinct scores: ROC and PR curves of 200+ points.
    static func result() throws -> EvaluationResult {
        var metrics = BinaryMetrics()
        let scores = (0..<300).map { Float($0) / 300 }
        let labels = (0..<300).map { ($0 * 7919) % 300 < $0 ? Float(1) : 0 }
        metrics.update(probabilities: Tensor(scores), targets: Tensor(labels))
        return EvaluationResult(loss: 0.4, accuracy: Double(metrics.accuracy), samples: 300, roc: metrics.rocCurve,
                                precisionRecall: metrics.precisionRecallCurve, averagePrecision: metrics.averagePrecision.map(Double.init))
    }

    @Test func binaryEventsCarryReducedRoundedCurves() throws {
        let result = try Self.result()
        #expect((result.roc?.points.count ?? 0) > 200)
        let event = EpochEnd(epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: nil, result: result, task: .binary)
        let roc = try #require(event.roc), pr = try #require(event.pr)
        #expect(roc.count <= EpochEnd.curvePointLimit && roc.count > 40 && pr.count <= EpochEnd.curvePointLimit)
        #expect(roc.first == CurvePoint(x: 0, y: 0) && roc.last == CurvePoint(x: 1, y: 1) && pr.first == CurvePoint(x: 0, y: 1))
        #expect((roc + pr).allSatisfy { $0 == $0.rounded(significantDigits: EpochEnd.curveDigits) })
        #expect(event.averagePrecision == result.averagePrecision && event.averagePrecision != nil)
        let multiclass = EpochEnd(epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: nil, result: result, task: .multiclass)
        #expect(multiclass.roc == nil && multiclass.pr == nil && multiclass.averagePrecision == nil)
    }
}
