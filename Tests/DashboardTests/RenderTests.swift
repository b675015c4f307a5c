import Testing
import RunEvents
@testable import Dashboard

@Suite("Rendering frames")
struct RenderTests {
    static let sizes = [(120, 40), (80, 24), (60, 20), (59, 20), (60, 19), (20, 5), (1, 1), (0, 0), (1, 0), (0, 7), (300, 90)]

    static func isBraille(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { (0x2801...0x28FF).contains($0.value) }
    }

    @Test(arguments: sizes)
    func framesAreExactlyTheGivenSize(columns: Int, rows: Int) {
        for model in [DashboardModel(), TestRuns.multiclass(), TestRuns.binary()] {
            for focus in DashboardFocus.allCases {
                var shown = model
                shown.ui.focus = focus
                shown.ui.helpVisible = focus == .task
                let frame = render(shown, size: TerminalSize(columns: columns, rows: rows))
                #expect(frame.size == TerminalSize(columns: columns, rows: rows))
                #expect(frame.lines.count == rows)
                #expect(frame.lines.allSatisfy { $0.count == columns })
            }
        }
    }

    @Test func fullSizeShowsHeaderProgressAndFigures() {
        let text = render(TestRuns.multiclass(), size: TerminalSize(columns: 120, rows: 40)).text
        for expected in ["mnist-mlp", "Config/mnist.yaml", "multiclass", "seed 42", "cross_entropy(label_smoothing=0.1)",
                         "100,867 params", "Linear(784→128) → ReLU", "epoch 3/5", "batch 10/10", " 60%", "steps/s",
                         "ETA 00:10", "val loss   0.6000 (ep 3)", "0.5000 (ep 2)", "83.0%", "checkpoint best (ep 2)",
                         "loss lint", "[lin y]", "step", "epoch", "raw", "avg", "val", "? help"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func footerShowsHowFarWatchHasReadWhileCatchingUp() {
        var model = TestRuns.multiclass()
        model.ui.readOnly = true
        model.ui.readingFraction = 0.427
        let reading = render(model, size: TerminalSize(columns: 120, rows: 40))
        let footer = reading.lines[39]
        #expect(footer.contains("reading events 42%") && !footer.contains("read-only"))
        #expect(reading.spans(row: 39).contains { $0.text.contains("reading events") && $0.style.role == .warning })
        model.ui.readingFraction = nil
        #expect(render(model, size: TerminalSize(columns: 120, rows: 40)).lines[39].contains("(watch: read-only)"))
    }

    @Test func lossChartAreaHoldsBraille() {
        let frame = render(TestRuns.multiclass(), size: TerminalSize(columns: 120, rows: 40))
        let chartRows = frame.lines[5..<20]
        let braille = chartRows.flatMap { $0.filter(Self.isBraille) }
        #expect(braille.count > 40)
        #expect(!frame.lines[0..<4].contains { $0.contains(where: Self.isBraille) })
    }

    @Test func confusionMatrixShowsCountsNamesAndRecall() {
        let text = render(TestRuns.multiclass(), size: TerminalSize(columns: 120, rows: 40)).text
        let row = text.split(separator: "\n").first { $0.contains("bird ") && $0.contains("19") }
        #expect(row != nil)
        #expect(row?.contains("80.0%") == true)
        #expect(text.contains("confusion matrix (epoch 3)"))
        let lines = TaskPanel.confusionLines([[5, 1], [2, 7]], recall: nil, classNames: ["a", "b"])
        #expect(lines.count == 3)
        #expect(lines[2].map(\.text).joined().contains("77.8%"))
        let iris = [[3, 0, 0], [0, 4, 0], [0, 1, 5]], species = ["setosa", "versicolor", "virginica"]
        let narrow = TaskPanel.confusionLines(iris, recall: nil, classNames: species)
        #expect(narrow[2].map(\.text).joined().hasPrefix("versicolo "))
        let roomy = TaskPanel.confusionLines(iris, recall: nil, classNames: species, width: 38)
        #expect(roomy.allSatisfy { $0.map(\.text).joined().count <= 38 })
        #expect(roomy[2].map(\.text).joined().hasPrefix("versicolor "))
    }

    @Test func binaryPanelShowsMetricsAtThreshold() {
        let text = render(TestRuns.binary(), size: TerminalSize(columns: 120, rows: 40)).text
        for expected in ["binary metrics", "threshold  0.50", "precision  0.910", "recall     0.874", "F1         0.892", "AUROC      0.951"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
    }

    @Test func logToggleIsVisible() {
        var model = TestRuns.multiclass()
        model.handle(.toggleLogScale)
        let text = render(model, size: TerminalSize(columns: 120, rows: 40)).text
        #expect(text.contains("[log y]") && !text.contains("[lin y]"))
    }

    @Test func tooSmallTerminalGetsTheEnlargeNote() {
        let frame = render(TestRuns.multiclass(), size: TerminalSize(columns: 30, rows: 10))
        #expect(frame.text.contains("enlarge"))
        #expect(frame.lines[5].contains("enlarge to 60×20"))
        #expect(!frame.text.contains("epoch"))
        #expect(render(TestRuns.multiclass(), size: TerminalSize(columns: 60, rows: 20)).text.contains("epoch 3/5"))
    }

    @Test func helpOverlayListsKeys() {
        var model = TestRuns.multiclass()
        model.handle(.help)
        let text = render(model, size: TerminalSize(columns: 80, rows: 24)).text
        #expect(text.contains("toggle log scale") && text.contains("pause / resume"))
    }

    @Test func focusEnlargesOnePanel() {
        var model = TestRuns.multiclass()
        model.handle(.nextPanel)
        let text = render(model, size: TerminalSize(columns: 80, rows: 24)).text
        #expect(text.contains("panel: loss"))
        #expect(!text.contains("confusion matrix"))
    }

    @Test func endedRunAndAlarmsUseTheirRoles() {
        var model = TestRuns.multiclass()
        model.apply(.message(RunMessage(level: .error, text: "NaN loss at step 31")))
        model.apply(.runEnded(RunEnded(reason: .nan)))
        let frame = render(model, size: TerminalSize(columns: 120, rows: 40))
        #expect(frame.text.contains("run ended: nan"))
        let alarm = (0..<40).first { frame.line($0).contains("NaN loss at step 31") }
        #expect(alarm != nil)
        if let alarm {
            #expect(frame.spans(row: alarm).contains { $0.text.contains("NaN loss") && $0.style.role == .bad })
        }
    }

    @Test func renderingIsPure() {
        let model = TestRuns.binary()
        #expect(render(model, size: TerminalSize(columns: 100, rows: 30)) == render(model, size: TerminalSize(columns: 100, rows: 30)))
    }
}

@Suite("Narrow layouts")
struct NarrowLayoutTests {
    @Test(arguments: [60, 80, 120])
    func headerStateAndFooterPanelNeverOverlap(columns: Int) {
        var model = TestRuns.multiclass()
        model.ui.readOnly = true
        model.apply(.runEnded(RunEnded(reason: .completed)))
        let frame = render(model, size: TerminalSize(columns: columns, rows: 24))
        #expect(frame.line(0).hasSuffix("■ completed "))
        #expect(frame.line(0).contains(" ■"))
        #expect(frame.line(23).hasSuffix(" panel: overview "))
    }
}
