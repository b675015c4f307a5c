import RunEvents
import Testing
@testable import Dashboard

/// The ROC and precision–recall charts beside a binary run's figures.
@Suite("Binary curves in the task panel")
struct CurvePanelTests {
    static let roc = [(0, 0), (0, 0.6), (0.1, 0.85), (0.3, 0.95), (1, 1)].map { CurvePoint(x: $0.0, y: $0.1) }
    static let pr = [(0, 1), (0.5, 0.97), (0.8, 0.9), (0.95, 0.7), (1, 0.3)].map { CurvePoint(x: $0.0, y: $0.1) }

    /// The binary test run with a fourth validation that carries curves.
    static func model(curves: Bool = true) -> DashboardModel {
        var model = TestRuns.binary()
        model.apply(.epochEnd(EpochEnd(epoch: 4, step: 40, trainLoss: 0.3, valLoss: 0.5, valAccuracy: 0.86, precision: 0.91,
                                       recall: 0.874, f1: 0.892, auroc: 0.951, threshold: 0.5,
                                       roc: curves ? roc : nil, pr: curves ? pr : nil, averagePrecision: curves ? 0.93 : nil)))
        return model
    }

    static func isBraille(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false
    }

    /// The task panel alone, drawn in a `width`×`height` frame.
    static func panel(_ model: DashboardModel, width: Int, height: Int) -> Frame {
        var frame = Frame(size: TerminalSize(columns: width, rows: height))
        TaskPanel.draw(model, into: &frame, rect: frame.bounds, focused: false)
        return frame
    }

    /// Braille cells in columns `columns` of `frame`.
    static func brailleCount(_ frame: Frame, columns: Range<Int>) -> Int {
        frame.lines.reduce(0) { count, line in count + Array(line)[columns].filter(isBraille).count }
    }

    @Test func bothChartsBesideTheFiguresWhenThereIsRoom() throws {
        let frame = Self.panel(Self.model(), width: 100, height: 16)
        let text = frame.text
        for expected in ["ROC TPR by FPR  AUC 0.951", "PR precision by recall  AP 0.930", "1 FPR", "1 recall",
                         "precision  0.910", "AUROC      0.951", "AP         0.930"] {
            #expect(text.contains(expected), "missing \(expected)\n\(text)")
        }
        let epoch = try #require(Self.model().lastEpoch)
        let layout = try #require(CurvePanel.layout(for: epoch, in: Panel.interior(of: frame.bounds)))
        let pr = try #require(layout.precisionRecall)
        #expect(layout.figures.width >= CurvePanel.figuresWidth && layout.figures.maxX < layout.roc.x && layout.roc.maxX < pr.x)
        #expect(Self.brailleCount(frame, columns: 0..<layout.roc.x) == 0)
        #expect(Self.brailleCount(frame, columns: layout.roc.x..<layout.roc.maxX) > 20)
        #expect(Self.brailleCount(frame, columns: pr.x..<pr.maxX) > 20)
        // A good classifier's ROC curve reaches the top of the plot near its left edge.
        let plot = Chart.plotRect(in: layout.roc.splitTop(1).rest)
        let top = Array(frame.line(plot.y))[plot.x..<(plot.x + plot.width / 3)]
        #expect(top.contains(where: Self.isBraille), "\(frame.line(plot.y))")
    }

    @Test func aNarrowPanelDropsTheMetersForTheROCChart() {
        let text = Self.panel(Self.model(), width: 40, height: 12).text
        #expect(text.contains("ROC") && text.contains("1 FPR") && text.contains("precision  0.910"))
        #expect(!text.contains("█"))
    }

    @Test func onlyTheROCChartWhenNarrow() {
        let text = Self.panel(Self.model(), width: 60, height: 12).text
        #expect(text.contains("AUC 0.951") && text.contains("1 FPR"))
        #expect(!text.contains("AP 0.930") && !text.contains("1 recall"))
        #expect(text.contains("precision  0.910"))
    }

    @Test func figuresOnlyWhenTooSmallOrWithoutCurves() {
        // 38 columns fit the figures without meters (17) and a 20-column chart; 36 do not.
        for (model, width, height) in [(Self.model(), 36, 12), (Self.model(), 100, 6), (Self.model(curves: false), 100, 16)] {
            let frame = Self.panel(model, width: width, height: height)
            #expect(!frame.text.contains("FPR") && Self.brailleCount(frame, columns: 0..<width) == 0, "\(width)×\(height)")
            #expect(frame.text.contains("precision  0.910"), "\(width)×\(height)")
        }
    }

    @Test func theEnlargedTaskPanelAndWideOverviewShowTheCurves() {
        var model = Self.model()
        // At 120×40 the overview's task panel gives its meters up for the ROC chart.
        let overview = render(model, size: TerminalSize(columns: 120, rows: 40)).text
        #expect(overview.contains("ROC  AUC 0.951") && !overview.contains("AP 0.930 "))
        #expect(render(model, size: TerminalSize(columns: 200, rows: 50)).text.contains("AUC 0.951"))
        model.ui.focus = .task
        let text = render(model, size: TerminalSize(columns: 120, rows: 40)).text
        #expect(text.contains("AUC 0.951") && text.contains("AP 0.930"))
    }

    @Test func thePlainEpochLineNamesTheAveragePrecision() {
        let model = Self.model()
        #expect(PlainReport.epochLine(model.lastEpoch!, model: model).contains("AUROC 0.951  AP 0.930"))
    }

    @Test func theModelKeepsOnlyTheLastValidationsCurves() {
        var model = Self.model()
        #expect(model.lastEpoch?.roc == Self.roc && model.lastEpoch?.pr == Self.pr)
        model.apply(.epochEnd(EpochEnd(epoch: 5, step: 50, trainLoss: 0.3, auroc: 0.9)))
        #expect(model.lastEpoch?.roc == nil)
        // A resume to before the last validation drops its curves with it.
        var resumed = Self.model()
        resumed.apply(.runResumed(RunResumed(checkpoint: "last", step: 30, epoch: 3)))
        #expect(resumed.lastEpoch?.epoch == 3 && resumed.lastEpoch?.roc == nil)
    }
}
