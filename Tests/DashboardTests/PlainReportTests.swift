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

    @Test func dataParallelJobsShowRanksAndAllReduceTime() {
        var model = TestRuns.multiclass(epochsDone: 1)
        #expect(PlainReport.ranksText(model) == nil)
        #expect(!PlainReport.epochLine(model.lastEpoch!, model: model).contains("ranks"))
        model.run?.worldSize = 2
        #expect(PlainReport.ranksText(model) == "2 ranks")
        // 100 samples per 0.1 s step at 1,000 samples/s; all-reduces of 2 then 12 ms average to 3 ms.
        model.run?.batchSize = 100
        for milliseconds in [2.0, 12.0] {
            model.apply(.batchEnd(BatchEnd(epoch: 2, step: 9, batch: 1, loss: 1, avgLoss: 1, lr: 1, samplesPerSec: 1000,
                                           allreduceMs: milliseconds, elapsed: 9)))
        }
        #expect(abs(model.progress.allreduceMs! - 3) < 1e-12)
        #expect(PlainReport.ranksText(model) == "2 ranks · all-reduce 3.00 ms (3.0% of a step)")
        #expect(PlainReport.epochLine(model.lastEpoch!, model: model).contains("2 ranks · all-reduce 3.00 ms"))
        let frame = DashboardRenderer.render(model, size: TerminalSize(columns: 200, rows: 50))
        #expect(frame.text.contains("2 ranks · all-reduce 3.00 ms"))
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
