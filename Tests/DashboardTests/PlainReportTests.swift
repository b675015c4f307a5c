import Testing
import RunEvents
@testable import Dashboard

@Suite("Plain reports")
struct PlainReportTests {
    @Test func epochLinesCarryTheFigures() {
        let model = TestRuns.multiclass(epochsDone: 3)
        let line = PlainReport.epochLine(model.lastEpoch!, model: model)
        #expect(line.hasPrefix("epoch 3/5"))
        #expect(line.contains("val loss 0.6000 acc 83.0%"))
        #expect(PlainReport.lines(for: .batchEnd(BatchEnd(epoch: 1, step: 1, batch: 1, loss: 1, avgLoss: 1, lr: 1,
                                                            samplesPerSec: 1, elapsed: 1)), model: model).isEmpty)
    }

    @Test func summaryNamesTheEndAndTheBest() throws {
        let model = try TestRuns.fixtureModel("binary")
        let summary = PlainReport.summary(model)
        #expect(summary.first == "fake-binary ended: completed")
        #expect(summary.contains { $0.contains("best val loss") })
        #expect(summary.contains { $0.contains("test accuracy") && $0.hasSuffix("%") })
        #expect(PlainReport.summary(TestRuns.multiclass()).first?.contains("not ended") == true)
    }
}
