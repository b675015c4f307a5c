import Foundation
import Testing
import RunEvents
@testable import Dashboard

@Suite("Folding events into the model")
struct DashboardModelTests {
    @Test func historyAndProgressFollowTheBatches() {
        let model = TestRuns.multiclass(epochsDone: 3)
        #expect(model.run?.run == "mnist-mlp")
        #expect(model.rawLoss.count == 30 && model.averageLoss.count == 30)
        #expect(model.rawLoss.recentPoints()?.first?.lastPoint == ChartPoint(x: 1, y: 2.0))
        #expect(model.progress.epoch == 3 && model.progress.batch == 10 && model.progress.step == 30)
        #expect(model.progress.completedEpochs == 3)
        #expect(model.progress.stepsPerSec == 2)
        #expect(model.progress.runFraction == 0.6)
        #expect(model.progress.eta == 10)
        #expect(model.learningRate == 0.001 && model.gradNorm == 1.5)
    }

    @Test func latestAndBestValidationFiguresKeepTheirEpochs() {
        let model = TestRuns.multiclass(epochsDone: 3)
        #expect(model.valLoss.map(\.y) == [0.9, 0.5, 0.6])
        #expect(model.latestValLoss == EpochValue(value: 0.6, epoch: 3))
        #expect(model.bestValLoss == EpochValue(value: 0.5, epoch: 2))
        #expect(model.latestValAccuracy == EpochValue(value: 0.83, epoch: 3))
        #expect(model.bestValAccuracy == EpochValue(value: 0.83, epoch: 3))
        #expect(model.trainAccuracy.count == 3)
        #expect(model.lastEpoch?.confusion?[2][2] == 19)
        #expect(model.lastCheckpoint?.kind == .best)
    }

    @Test func messagesArePostedAndCapped() {
        var model = TestRuns.multiclass()
        #expect(model.messages.last?.text.contains("loss lint") == true)
        for index in 0..<(DashboardModel.messageLimit + 5) {
            model.apply(.message(RunMessage(level: .info, text: "m\(index)")))
        }
        #expect(model.messages.count == DashboardModel.messageLimit)
        #expect(model.messages.last?.text == "m\(DashboardModel.messageLimit + 4)")
    }

    @Test func nonFiniteLossRaisesOneAlarm() {
        var model = TestRuns.multiclass(epochsDone: 1)
        for step in 11...12 {
            model.apply(.batchEnd(BatchEnd(epoch: 2, step: step, batch: step - 10, loss: .nan, avgLoss: .nan, lr: 0.1,
                                           samplesPerSec: 1, elapsed: 9)))
        }
        #expect(model.messages.filter { $0.level == .error }.count == 1)
        #expect(model.messages.last?.text.contains("step 11") == true)
    }

    @Test func pauseAndEndAreReportedState() {
        var model = TestRuns.multiclass()
        model.apply(.paused(true))
        #expect(model.ui.paused)
        model.apply(.runEnded(RunEnded(reason: .completed, summary: ["test_accuracy": 0.9])))
        #expect(model.ui.finished && !model.ui.paused)
        #expect(model.ended?.summary["test_accuracy"] == 0.9)
    }

    @Test func keysChangeOnlyTheViewState() {
        var model = TestRuns.multiclass()
        let before = model
        model.handle(.pause)
        model.handle(.save)
        model.handle(.quit)
        #expect(model == before)
        model.handle(.toggleLogScale)
        #expect(model.ui.logScale)
        model.handle(.help)
        #expect(model.ui.helpVisible)
        model.handle(.escape)
        #expect(!model.ui.helpVisible)
        for expected in [DashboardFocus.loss, .accuracy, .task, .messages, .overview] {
            model.handle(.nextPanel)
            #expect(model.ui.focus == expected)
        }
        model.handle(.previousPanel)
        #expect(model.ui.focus == .messages)
        #expect(DashboardKey(character: "\t") == .nextPanel && DashboardKey(character: "x") == nil)
    }

    /// Every writer, each on its own thread, leaves marks nothing drops (its batch points, its
    /// read-modify-write updates), so an update lost between two writers fails the test.
    @Test func storeFoldsFromManyThreads() {
        let store = DashboardStore()
        store.append(.runStarted(TestRuns.started()))
        let (writers, perWriter) = (6, 400)
        DispatchQueue.concurrentPerform(iterations: writers) { worker in
            for index in 0..<perWriter {
                let step = worker * perWriter + index + 1
                store.append(.batchEnd(BatchEnd(epoch: 1, step: step, batch: index, loss: Double(worker),
                                                avgLoss: 1, lr: 0.1, samplesPerSec: 1, elapsed: 1)))
                store.append(.message(RunMessage(level: .info, text: "\(worker)-\(index)")))
                store.update { $0.valLoss.append(ChartPoint(x: Double(step), y: Double(worker))) }
                _ = store.snapshot()
            }
        }
        let model = store.snapshot()
        let all = Array(1...writers * perWriter).map(Double.init)
        #expect(model.rawLoss.count == all.count, "batch points lost: \(all.count - model.rawLoss.count)")
        // Each writer's loss is its number: the sum of all values is exact.
        #expect(model.rawLoss.values(.finite)?.sum == Double((0..<writers).reduce(0, +) * perWriter))
        #expect(model.valLoss.map(\.x).sorted() == all, "updates lost: \(all.count - model.valLoss.count)")
        for worker in 0..<writers {
            // Each writer's own updates arrive in its order.
            let mine = model.valLoss.filter { $0.y == Double(worker) }.map(\.x)
            #expect(mine == Array(worker * perWriter + 1...(worker + 1) * perWriter).map(Double.init))
        }
        #expect(model.messages.count == DashboardModel.messageLimit)
        store.update { $0.handle(.toggleLogScale) }
        #expect(store.snapshot().ui.logScale)
    }

    @Test func fixtureRunEndsWithSummary() throws {
        let model = try TestRuns.fixtureModel("multiclass")
        #expect(model.ended?.reason == .completed)
        #expect(model.progress.step == 90 && model.progress.completedEpochs == 3)
        #expect(model.lastEpoch?.confusion?.count == 5)
    }
}
