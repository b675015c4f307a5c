import Testing
import RunEvents
@testable import Dashboard

@Suite("Comparing runs")
struct ComparisonTests {
    /// A finished run of `epochs` epochs × 10 steps whose loss falls at `rate`, with `config`.
    static func run(_ model: inout ComparisonModel, id: String, rate: Double, testAccuracy: Double,
                    config: [String: String], epochs: Int = 4) {
        model.addRun(id: id, label: id)
        model.updateRun(id) { run in
            run.config = config
            run.lint = "ok"
            let started = RunStarted(run: id, config: "c.yaml", task: .multiclass, loss: "cross_entropy",
                                     model: ModelSummary(layers: ["Linear(4→3)"], parameters: 15), seed: 0,
                                     epochs: epochs, stepsPerEpoch: 10, batchSize: 16, startedAt: "2026-01-01T00:00:00Z")
            run.apply(.event(.runStarted(started)))
            for epoch in 1...epochs {
                for batch in 1...10 {
                    let step = (epoch - 1) * 10 + batch
                    let loss = 2 / (1 + rate * Double(step))
                    run.apply(.event(.batchEnd(BatchEnd(epoch: epoch, step: step, batch: batch, loss: loss, avgLoss: loss,
                                                        lr: 0.01 / Double(epoch), samplesPerSec: 1000 * rate, elapsed: Double(step)))))
                }
                let loss = 2 / (1 + rate * Double(epoch * 10))
                run.apply(.event(.epochEnd(EpochEnd(epoch: epoch, step: epoch * 10, trainLoss: loss, trainAccuracy: 1 - loss / 2,
                                                    valLoss: loss * 1.1, valAccuracy: 1 - loss / 2.2))))
            }
            run.apply(.event(.runEnded(RunEnded(reason: .completed, summary: ["test_accuracy": testAccuracy]))))
        }
    }

    static func model(runs count: Int) -> ComparisonModel {
        var model = ComparisonModel(title: "runs/sweep")
        let rates = [0.5, 0.1, 1.0, 0.02], accuracies = [0.9, 0.7, 0.95, 0.5], lrs = ["0.01", "0.001", "0.1", "0.0001"]
        for index in 0..<count {
            run(&model, id: "lr=\(lrs[index])", rate: rates[index], testAccuracy: accuracies[index],
                config: ["optimizer.lr": lrs[index], "model.hidden": "[16]", "seed": "0"])
        }
        return model
    }

    static let size = TerminalSize(columns: 120, rows: 40)

    @Test func twoRunsOverlaidWithLegendAndTable() {
        let frame = render(Self.model(runs: 2), size: Self.size)
        #expect(frame.size == Self.size && frame.lines.allSatisfy { $0.count == 120 })
        let text = frame.text
        for expected in ["trainboard compare", "runs/sweep", "2 runs", "train loss", "A⣿ lr=0.01", "B⣿ lr=0.001",
                         "optimizer.lr", "best val loss", "test acc", "90.0%", "70.0%", "completed", "ok", "q quit"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(frame.lines.contains { $0.contains(where: RenderTests.isBraille) })
    }

    @Test func fourRunsEachHaveAMarkAColorAndARow() {
        let model = Self.model(runs: 4)
        let frame = render(model, size: Self.size)
        for (mark, label) in zip("ABCD", ["lr=0.01", "lr=0.001", "lr=0.1", "lr=0.0001"]) {
            #expect(frame.text.contains("\(mark)⣿ \(label)"))
            #expect(frame.lines.contains { $0.contains("│\(mark)   \(label) ") }, "no table row for \(label)")
        }
        #expect(Set(model.runs.map(\.style)).count == 4)
        // Each run's letter is drawn at the end of its curve too, inside the plot.
        let plotRows = frame.lines[2..<31]
        for mark in "ABCD" { #expect(plotRows.contains { $0.dropFirst(10).contains(mark) }, "no end mark \(mark)") }
    }

    @Test func legendReadsWithoutColor() {
        // With NO_COLOR every curve style looks alike: the legend must tell runs apart by letter.
        let frame = render(Self.model(runs: 4), size: Self.size)
        let monochrome = Palette(mode: .monochrome)
        let looks = ComparisonModel.styles.prefix(4).map { monochrome.appearance(of: $0) }
        #expect(looks.dropFirst().contains(looks[0]))
        let legend = frame.line(1)
        let marks = "ABCD".map { mark in legend.firstIndex(of: mark) }
        #expect(marks.allSatisfy { $0 != nil })
    }

    @Test func tableShowsOnlyTheKeysThatDiffer() {
        let model = Self.model(runs: 3)
        #expect(RunsTable.differingKeys(model.runs) == ["optimizer.lr"])
        let text = render(model, size: Self.size).text
        #expect(text.contains("optimizer.lr"))
        #expect(!text.contains("model.hidden"))
        #expect(!text.contains("seed"))
        #expect(RunsTable.plainLines(model)[0].contains("optimizer.lr"))
        #expect(!RunsTable.plainLines(model)[0].contains("model.hidden"))
    }

    @Test func sortChangesTheOrder() {
        var model = Self.model(runs: 4)
        #expect(model.tableRows.map(\.label) == ["lr=0.0001", "lr=0.001", "lr=0.01", "lr=0.1"])
        let before = render(model, size: Self.size)
        while model.sortColumn != .testAccuracy { _ = model.handle(.character("s")) }
        #expect(model.tableRows.map(\.label) == ["lr=0.0001", "lr=0.001", "lr=0.01", "lr=0.1"].sorted {
            ["lr=0.0001": 0.5, "lr=0.001": 0.7, "lr=0.01": 0.9, "lr=0.1": 0.95][$0]! < ["lr=0.0001": 0.5, "lr=0.001": 0.7, "lr=0.01": 0.9, "lr=0.1": 0.95][$1]!
        })
        _ = model.handle(.character("r"))
        #expect(model.tableRows.first?.label == "lr=0.1")
        let after = render(model, size: Self.size)
        #expect(after != before)
        #expect(after.text.contains("sort: test acc ▼"))
        // The numeric sort of a setting: 0.0001 < 0.001 < 0.01 < 0.1 whatever the text order.
        model.sortColumn = .setting("optimizer.lr")
        model.sortDescending = false
        #expect(model.tableRows.map { $0.settings["optimizer.lr"]! } == ["0.0001", "0.001", "0.01", "0.1"])
    }

    @Test func baselineIsPinnedFirstWithDeltas() {
        var model = Self.model(runs: 3)
        model.selected = "lr=0.1"
        _ = model.handle(.character("b"))
        #expect(model.baseline == "lr=0.1")
        _ = model.handle(.character("r"))
        #expect(model.tableRows.first?.id == "lr=0.1")
        #expect(model.columns.contains(.testAccuracyDelta))
        #expect(RunsTable.text(model.runs[0], .testAccuracyDelta, baseline: model.baselineRun) == "-5.0")
        #expect(render(model, size: Self.size).text.contains("Δ test acc"))
        _ = model.handle(.character("b"))
        #expect(model.baseline == nil)
    }

    @Test func metricKeysHideAndFilter() {
        var model = Self.model(runs: 3)
        let loss = render(model, size: Self.size)
        _ = model.handle(.character("m"))
        #expect(model.metric == .accuracy)
        _ = model.handle(.character("4"))
        #expect(model.metric == .valAccuracy)
        let validation = render(model, size: Self.size)
        #expect(validation.text.contains("val accuracy") && validation != loss)
        _ = model.handle(.character("5"))
        #expect(render(model, size: Self.size).text.contains("learning rate"))
        // Hide the selected run: out of the chart, still in the table.
        _ = model.handle(.character(" "))
        #expect(model.chartRuns.count == 2 && model.tableRows.count == 3)
        // Filter by name: typed keys go to the filter, q included, until Enter.
        for key in "/0.1" { _ = model.handle(.character(key)) }
        #expect(model.handle(.enter) == false)
        #expect(model.tableRows.map(\.label) == ["lr=0.1"])
        #expect(model.handle(.escape) == false && model.tableRows.count == 3)
        _ = model.handle(.character("/"))
        #expect(model.handle(.character("q")) == false)
        _ = model.handle(.escape)
        #expect(model.handle(.character("q")) == true)
    }

    @Test(arguments: [(200, 60), (80, 24), (60, 20), (59, 20), (30, 10), (0, 0)])
    func framesAreExactlyTheGivenSize(columns: Int, rows: Int) {
        for model in [ComparisonModel(title: "empty"), Self.model(runs: 4)] {
            let frame = render(model, size: TerminalSize(columns: columns, rows: rows))
            #expect(frame.lines.count == rows && frame.lines.allSatisfy { $0.count == columns })
        }
    }

    @Test func runWithoutConfigComparesItsHeader() {
        var model = ComparisonModel(title: "t")
        Self.run(&model, id: "a", rate: 0.5, testAccuracy: 0.9, config: [:], epochs: 2)
        Self.run(&model, id: "b", rate: 0.5, testAccuracy: 0.9, config: [:], epochs: 3)
        #expect(RunsTable.differingKeys(model.runs) == ["epochs"])
    }

    @Test func legendShortensSweepNames() {
        let run = ComparedRun(id: "x", label: "optimizer.lr=0.01,model.hidden=[16]/version_0", mark: "A", style: .accent)
        #expect(run.legendLabel() == "lr=0.01,hidden=[16]/version_0")
        #expect(run.legendLabel(limit: 10) == "lr=0.01,h…")
        #expect(ComparedRun(id: "y", label: "iris/version_3", mark: "B", style: .good).legendLabel() == "iris/version_3")
    }
}
