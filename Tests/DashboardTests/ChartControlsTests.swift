import Foundation
import Testing
import RunEvents
@testable import Dashboard

@Suite("Y range, zoom, smoothing and the system line")
struct ChartControlsTests {
    static let size = TerminalSize(columns: 120, rows: 40)

    /// A run of `steps` steps (500 per epoch) whose first `spike` steps have loss 50, then ≈1.
    static func longRun(steps: Int = 2500, spike: Int = 10) -> DashboardModel {
        var model = DashboardModel()
        model.apply(.runStarted(TestRuns.started(epochs: (steps + 499) / 500, stepsPerEpoch: 500)))
        for step in 1...steps {
            let loss = step <= spike ? 50 : 1 + 0.1 * sin(Double(step))
            model.apply(.batchEnd(BatchEnd(epoch: (step - 1) / 500 + 1, step: step, batch: (step - 1) % 500 + 1, loss: loss,
                                           avgLoss: loss, lr: 0.01, samplesPerSec: 100, elapsed: Double(step))))
            if step % 500 == 0 {
                let epoch = step / 500
                model.apply(.epochEnd(EpochEnd(epoch: epoch, step: step, trainLoss: 1, trainAccuracy: 0.8 + 0.02 * Double(epoch),
                                               valLoss: 1.1, valAccuracy: 0.78 + 0.02 * Double(epoch))))
            }
        }
        return model
    }

    static func chart(_ values: [Double], logScale: Bool = false) -> Chart {
        let points = values.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) }
        return Chart(series: [ChartSeries(label: "loss", points: points, style: .accent)], logScale: logScale, xLabel: "step")
    }

    // MARK: y range

    @Test(arguments: [false, true])
    func anEarlySpikeIsClippedAndMarked(logScale: Bool) {
        let values = (1...1000).map { $0 <= 10 ? 50 : 1 + 0.1 * sin(Double($0)) }
        let chart = Self.chart(values, logScale: logScale)
        let scale = chart.scale(columns: 50)!
        let top = logScale ? pow(10, scale.y.upperBound) : scale.y.upperBound
        #expect(top > 1.1 && top < 1.3, "range follows the values after the spike")
        #expect(!scale.clippedColumns.isEmpty && scale.clippedColumns.allSatisfy { $0 < 5 })
        var frame = Frame(size: TerminalSize(columns: 58, rows: 12))
        chart.draw(into: &frame, in: frame.bounds)
        let plot = Chart.plotRect(in: frame.bounds)
        #expect(frame.line(plot.y).contains("↑"), "the clipped spike is marked on the top row")
        #expect(!frame.text.contains("50"), "no tick reaches the spike")
    }

    @Test func aSpikeLaterOrAGentleStartIsNotClipped() {
        var values = (1...1000).map { 1 + 0.1 * sin(Double($0)) }
        values[500] = 50
        #expect(Self.chart(values).scale(columns: 50)!.clippedColumns.isEmpty)
        #expect(Self.chart(values).scale(columns: 50)!.y.upperBound > 50)
        let decay = (1...1000).map { 2 * exp(-Double($0) / 500) }   // falls steadily: the start is data, not a spike
        let scale = Self.chart(decay).scale(columns: 50)!
        #expect(scale.clippedColumns.isEmpty && scale.y.upperBound >= 2)
    }

    @Test func accuracyFollowsTheValuesNotZeroToOne() {
        let scale = ChartPanel.accuracyChart(TestRuns.multiclass()).scale(columns: 40)!
        #expect(scale.y.lowerBound > 0.5 && scale.y.upperBound < 0.9)
    }

    @Test func aFixedRangeStaysFixedForCurvesOfProbabilities() {
        var chart = Self.chart((1...100).map { $0 <= 3 ? 0.99 : 0.6 + 0.001 * Double($0) })
        chart.yInclude = 0...1
        let scale = chart.scale(columns: 40)!
        #expect(scale.y == 0...1 && scale.clippedColumns.isEmpty)
    }

    // MARK: zoom

    @Test func zoomOffersOnlyWindowsShorterThanTheRun() {
        #expect(XZoom.cycle(runSteps: 5000) == [.whole, .lastSteps(1000), .lastSteps(100)])
        #expect(XZoom.cycle(runSteps: 50) == [.whole])
        #expect(XZoom.whole.cycled(forward: true, runSteps: 5000) == .lastSteps(1000))
        #expect(XZoom.lastSteps(100).cycled(forward: true, runSteps: 5000) == .whole)
        #expect(XZoom.whole.cycled(forward: false, runSteps: 5000) == .lastSteps(100))
        #expect(XZoom.lastSteps(10_000).cycled(forward: true, runSteps: 5000) == .whole)
        #expect(XZoom.lastSteps(1000).label == "last 1k steps" && XZoom.lastSteps(100).label == "last 100 steps")
        #expect(XZoom.lastSteps(100_000).label == "last 100k steps" && XZoom.whole.label == nil)
        #expect(XZoom.lastSteps(1000).window(stepsPerUnit: 500) == 2)
    }

    @Test func zoomNarrowsBothChartsAndSaysSoInTheTitles() {
        var model = Self.longRun()
        model.handle(.chart(.zoomIn))
        #expect(model.ui.charts.zoom == .lastSteps(1000))
        #expect(ChartPanel.lossChart(model).xRange == 1500...2500)
        #expect(ChartPanel.accuracyChart(model).xRange == 3...5)
        let frame = render(model, size: Self.size)
        #expect(frame.lines[4].contains("┌─ loss") && frame.lines[4].contains("last 1k steps"))
        #expect(frame.lines[4].components(separatedBy: "last 1k steps").count == 3, "both chart titles")
        #expect(frame.text.contains("1.5k") && frame.text.contains("2.5k step"))
        model.handle(.chart(.zoomIn))
        #expect(render(model, size: Self.size).text.contains("last 100 steps"))
        model.handle(.chart(.zoomIn))
        #expect(!render(model, size: Self.size).text.contains("last 1"))
        model.handle(.chart(.zoomOut))
        #expect(model.ui.charts.zoom == .lastSteps(100))
    }

    @Test func zoomedPastTheSpikeTheRangeIsTheRecentValues() {
        var model = Self.longRun()
        model.ui.charts.zoom = .lastSteps(100)
        let scale = ChartPanel.lossChart(model).scale(columns: 60)!
        #expect(scale.x == 2400...2500 && scale.y.upperBound < 1.3 && scale.clippedColumns.isEmpty)
    }

    // MARK: smoothing

    @Test func exponentialAverageIsDebiased() {
        var average = ExponentialAverage(weight: 0.5)
        // s1 = 0.5, /(1-0.5) = 1; s2 = 0.25 + 1.5 = 1.75, /0.75; s3 = 0.875 + 1 = 1.875, /0.875.
        let shown = [1.0, 3, 2].map { average.add($0) }
        #expect(shown[0] == 1)
        #expect(abs(shown[1] - 1.75 / 0.75) < 1e-12 && abs(shown[2] - 1.875 / 0.875) < 1e-12)
        var heavy = ExponentialAverage(weight: 0.99)
        #expect(heavy.add(2.5) == 2.5, "the first value is not pulled to zero")
        var skipping = ExponentialAverage(weight: 0.5)
        #expect(skipping.add(1) == 1 && skipping.add(.nan).isNaN && abs(skipping.add(3) - 1.75 / 0.75) < 1e-12)
        #expect(ExponentialAverage.smoothed([ChartPoint(x: 1, y: 4), ChartPoint(x: 2, y: 0)], weight: 0.5).map(\.y) == [4, 4.0 / 3])
    }

    @Test func replayingTheRawLossIsExactWhereItIsExactAndCloseBeforeThat() {
        var raw = Series(capacity: 16), direct = SmoothedSeries(weight: 0.9, capacity: 16)
        for step in 1...12 {
            raw.append(x: Double(step), y: Double(step % 7))
            direct.append(x: Double(step), y: Double(step % 7))
        }
        #expect(SmoothedSeries(weight: 0.9, replaying: raw) == direct, "a short run replays step by step")
        for step in 13...1000 { raw.append(x: Double(step), y: 1 + Double(step % 7)) }
        // Before the exact end, columns of the summaries count as their means: the error left at the end
        // is at most weight^16 (the exact steps) times the values' range: ≈ 1e-4 at weight 0.5.
        var exact = SmoothedSeries(weight: 0.5, capacity: 16)
        for step in 1...1000 { exact.append(x: Double(step), y: step <= 12 ? Double(step % 7) : 1 + Double(step % 7)) }
        let replayed = SmoothedSeries(weight: 0.5, replaying: raw)
        #expect(raw.recentPoints() == nil && abs(replayed.average.count - 1000) < 100)
        #expect(abs(replayed.series.last!.y - exact.series.last!.y) < 1e-3)
        #expect((0...7).contains(replayed.series.values(.finite)!.first), "the first column's mean, not pulled to zero")
    }

    @Test func noCurveIsSmoothedUntilAskedFor() {
        var model = Self.longRun(steps: 100)
        #expect(model.smoothedLoss[.light] == nil && model.smoothedLoss[.medium] == nil && model.smoothedLoss[.heavy] == nil)
        model.handle(.chart(.smoothMore))
        #expect(model.smoothedLoss[.light]?.count == 100 && model.smoothedLoss[.medium] == nil)
        model.apply(.batchEnd(BatchEnd(epoch: 1, step: 101, batch: 101, loss: 1, avgLoss: 1, lr: 0.01, samplesPerSec: 1, elapsed: 1)))
        #expect(model.smoothedLoss[.light]?.count == 101, "a kept curve is fed every step")
    }

    @Test func aResumedRunSmoothsExactlyLikeOneThatNeverStopped() {
        func batch(_ step: Int) -> RunEvent {
            .batchEnd(BatchEnd(epoch: 1, step: step, batch: step, loss: 1 + Double(step % 5), avgLoss: 1, lr: 0.01, samplesPerSec: 1, elapsed: Double(step)))
        }
        var straight = DashboardModel(), resumed = DashboardModel()
        for step in 1...40 { straight.apply(batch(step)) }
        for _ in 0..<3 { straight.handle(.chart(.smoothMore)) }   // replayed from the raw loss when asked for
        for step in 1...5 { resumed.apply(batch(step)) }
        for _ in 0..<3 { resumed.handle(.chart(.smoothMore)) }    // then fed step by step
        for step in 6...30 { resumed.apply(batch(step)) }
        resumed.apply(.runResumed(RunResumed(checkpoint: "last.safetensors", step: 20, epoch: 0)))
        for step in 21...40 { resumed.apply(batch(step)) }
        #expect(resumed.smoothedLoss == straight.smoothedLoss)
        #expect(resumed.smoothedLoss[.heavy]!.count == 40)
    }

    @Test func smoothingKeyReplacesTheAverageWithTheSmoothedLoss() {
        var model = Self.longRun(steps: 600)
        model.handle(.chart(.smoothMore))
        model.handle(.chart(.smoothMore))
        #expect(model.ui.charts.smoothing == .medium)
        var expected = ExponentialAverage(weight: 0.9), last = 0.0
        for step in 1...600 { last = expected.add(step <= 10 ? 50 : 1 + 0.1 * sin(Double(step))) }
        #expect(abs(model.smoothedLoss[.medium]!.last!.y - last) < 1e-12)
        #expect(model.smoothedLoss[.medium]!.values(.finite)!.first == 50)
        let title = render(model, size: Self.size).lines[4]
        #expect(title.contains("smooth 0.90") && title.contains("⣿ smooth") && !title.contains("⣿ avg"))
        #expect(title.components(separatedBy: "smooth 0.90").count == 2, "only the loss chart is smoothed")
        model.handle(.chart(.smoothLess))
        model.handle(.chart(.smoothLess))
        #expect(!render(model, size: Self.size).lines[4].contains("smooth"))
        #expect(Smoothing.heavy.cycled(forward: true) == .off && Smoothing.light.label == "smooth 0.60")
    }

    @Test func chartKeysAreTheirOwn() {
        #expect(DashboardKey(character: "z") == .chart(.zoomIn) && DashboardKey(character: "Z") == .chart(.zoomOut))
        #expect(DashboardKey(character: "e") == .chart(.smoothMore) && DashboardKey(character: "E") == .chart(.smoothLess))
        #expect(DashboardKey(character: "s") == .save && DashboardKey(character: "l") == .toggleLogScale)
        let footer = render(TestRuns.multiclass(), size: Self.size).lines[39]
        #expect(footer.contains(" z zoom e smooth ") && footer.contains("panel: overview"))
        var model = TestRuns.multiclass()
        model.handle(.help)
        #expect(render(model, size: TerminalSize(columns: 80, rows: 24)).text.contains("smooth the loss more / less"))
    }

    // MARK: comparison

    @Test func comparisonZoomsAndSmoothsItsCurves() {
        var model = ComparisonModel(title: "runs")
        ComparisonTests.run(&model, id: "a", rate: 0.5, testAccuracy: 0.9, config: ["lr": "1"], epochs: 20)
        ComparisonTests.run(&model, id: "b", rate: 0.1, testAccuracy: 0.8, config: ["lr": "2"], epochs: 20)
        #expect(model.runSteps == 200)
        _ = model.handle(.character("z"))
        _ = model.handle(.character("e"))
        #expect(model.charts == ChartControls(zoom: .lastSteps(100), smoothing: .light))
        #expect(ComparisonRenderer.chart(model).xRange == 10...20, "100 steps are 10 epochs of 10 steps")
        let text = render(model, size: Self.size).text
        #expect(text.contains("last 100 steps") && text.contains("smooth 0.60") && text.contains("20 epoch"))
        let raw = model.runs[0].curve(.loss), smooth = model.runs[0].curve(.loss, smoothing: .light)
        guard case .points(let rawPoints) = raw.source, case .points(let smoothPoints) = smooth.source else {
            Issue.record("per-epoch curves are points")
            return
        }
        #expect(smoothPoints.first == rawPoints.first && smoothPoints.last!.y > rawPoints.last!.y, "a falling loss lags behind")
        _ = model.handle(.character("5"))
        #expect(!render(model, size: Self.size).text.contains("smooth 0.60"), "the learning rate is not smoothed")
        #expect(render(model, size: Self.size).lines[39].contains(" z zoom e smooth"))
    }

    // MARK: system line

    @Test func procFilesParse() {
        let stat = "4687 (my (odd) name) R 4684 4684 27882 0 -1 4194304 99 0 0 0 250 50 0 0 20 0 1 0 2346202 3133440 413 18446744073709551615"
        #expect(SystemSampler.cpuTicks(stat: stat) == 300)
        #expect(SystemSampler.cpuTicks(stat: "garbage") == nil && SystemSampler.cpuTicks(stat: "1 (x) R 1 2") == nil)
        #expect(SystemSampler.residentPages(statm: "765 447 418 5 0 123 0\n") == 447)
        #expect(SystemSampler.residentPages(statm: "") == nil)
        var sampler = SystemSampler(ticksPerSecond: 100, pageSize: 4096)
        #expect(sampler.sample(stat: stat, statm: "765 447 418", seconds: 10) == nil, "no interval yet")
        let later = stat.replacingOccurrences(of: " 250 50 ", with: " 400 100 ")
        #expect(sampler.sample(stat: later, statm: "765 447 418", seconds: 11) == SystemSample(cpuPercent: 200, rssBytes: 447 * 4096))
    }

    @Test func systemLineIsDrawnInBothViews() {
        let sample = SystemSample(cpuPercent: 187.4, rssBytes: 150 * 1_048_576)
        #expect(sample.text == "cpu 187% · rss 150 MB")
        #expect(SystemSample(cpuPercent: 0, rssBytes: 3 * 1_073_741_824 / 2).text == "cpu 0% · rss 1.5 GB")
        var model = TestRuns.multiclass()
        #expect(!render(model, size: Self.size).text.contains("rss"))
        model.ui.system = sample
        for columns in [60, 120] {
            let row = render(model, size: TerminalSize(columns: columns, rows: 24)).lines[3]
            #expect(row.hasSuffix("cpu 187% · rss 150 MB "), "right end of the progress row at \(columns) columns")
        }
        #expect(render(model, size: Self.size).lines[3].contains("steps/s"))
        var comparison = ComparisonTests.model(runs: 2)
        comparison.system = sample
        comparison.status = "1 done · 1 running · 0 queued"
        let header = render(comparison, size: Self.size).lines[0]
        #expect(header.contains("1 done · 1 running · 0 queued") && header.hasSuffix("cpu 187% · rss 150 MB "))
    }
}
