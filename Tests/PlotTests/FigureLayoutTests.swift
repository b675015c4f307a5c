import Dashboard
import Foundation
import Testing
@testable import Plot

/// A decreasing loss-like curve over `epochs` epochs, scaled by `scale`.
func lossCurve(epochs: Int = 30, scale: Double = 1) -> [ChartPoint] {
    (1...epochs).map { ChartPoint(x: Double($0), y: scale * (0.05 + 1.1 * exp(-Double($0) / 6))) }
}

func figure(_ series: [FigureSeries], logY: Bool = false, title: String = "Training loss") -> Figure {
    Figure(title: title, xLabel: "epoch", yLabel: "loss", logY: logY, series: series)
}

@Suite struct FigureLayoutTests {
    static let sizes = [FigureSize.standard, FigureSize.minimum, FigureSize(width: 1600, height: 900), FigureSize(width: 300, height: 700)]

    @Test(arguments: sizes)
    func everyTextStaysOnTheCanvasAndOffThePlot(size: FigureSize) {
        let long = String(repeating: "a-very-long-run-name/", count: 6) + "version_12"
        let layout = FigureLayout(figure([FigureSeries(name: long, points: lossCurve(scale: 1e5)),
                                          FigureSeries(name: "b", points: lossCurve(scale: 2e5))],
                                         title: String(repeating: "A long title ", count: 12)), size: size)
        let canvas = Box(x: 0, y: 0, width: Double(size.width), height: Double(size.height))
        for text in layout.texts {
            #expect(canvas.contains(text.box), "\(text.text) at \(text.box) is outside \(canvas)")
        }
        for text in [layout.title, layout.xLabel, layout.yLabel] + layout.xTicks.map(\.label) + layout.yTicks.map(\.label) {
            #expect(!layout.plot.overlaps(text.box), "\(text.text) covers the plot")
        }
        #expect(layout.title.text.hasSuffix("…") && layout.legend!.entries[0].text.text.hasSuffix("…"))
        #expect(layout.legend.map { layout.plot.contains($0.box) } == true)
    }

    @Test(arguments: sizes)
    func tickLabelsDoNotTouch(size: FigureSize) {
        let points = (0...5000).map { ChartPoint(x: Double($0) * 1000, y: Double($0)) }
        let layout = FigureLayout(figure([FigureSeries(name: "steps", points: points)]), size: size)
        #expect(layout.xTicks.count >= 2 && layout.yTicks.count >= 2)
        for (a, b) in zip(layout.xTicks, layout.xTicks.dropFirst()) { #expect(a.label.box.maxX < b.label.box.x) }
        for (a, b) in zip(layout.yTicks, layout.yTicks.dropFirst()) { #expect(b.label.box.maxY < a.label.box.y) }
        for tick in layout.xTicks { #expect(tick.position >= layout.plot.x - 1e-9 && tick.position <= layout.plot.maxX + 1e-9) }
        for tick in layout.yTicks { #expect(tick.position >= layout.plot.y - 1e-9 && tick.position <= layout.plot.maxY + 1e-9) }
    }

    @Test func seriesSpanThePlotAndStayInsideIt() {
        let layout = FigureLayout(figure([FigureSeries(name: "a", points: lossCurve())]), size: .standard)
        let line = layout.series[0].lines[0]
        #expect(line.count == 30)
        #expect(abs(line.first!.x - layout.plot.x) < 1e-9 && abs(line.last!.x - layout.plot.maxX) < 1e-9)
        #expect(line.allSatisfy { layout.plot.contains($0) })
        #expect(zip(line, line.dropFirst()).allSatisfy { $0.y < $1.y })   // decreasing loss: canvas y grows
    }

    @Test func aLossAxisCloseToZeroStartsAtALabelledZero() {
        let layout = FigureLayout(figure([FigureSeries(name: "a", points: lossCurve())]), size: .standard)
        #expect(layout.yTicks.first?.label.text == "0.0")
        #expect(abs(layout.yTicks.first!.position - layout.plot.maxY) < 1e-9)
        let accuracy = (1...10).map { ChartPoint(x: Double($0), y: 0.9 + Double($0) * 0.005) }
        let narrow = FigureLayout(figure([FigureSeries(name: "a", points: accuracy)]), size: .standard)
        #expect(narrow.yTicks.allSatisfy { $0.value > 0.85 })   // follows the data, not 0…1
    }

    @Test func epochAxesHaveWholeNumberTicks() {
        let layout = FigureLayout(figure([FigureSeries(name: "a", points: lossCurve(epochs: 3))]), size: .standard)
        #expect(layout.xTicks.map(\.label.text) == ["1", "2", "3"])
    }

    @Test func unplottablePointsLeaveGaps() {
        var points = lossCurve(epochs: 10)
        points[4].y = .nan
        points[7].y = -1
        let linear = FigureLayout(figure([FigureSeries(name: "a", points: points)]), size: .standard)
        #expect(linear.series[0].lines.map(\.count) == [4, 5])
        let log = FigureLayout(figure([FigureSeries(name: "a", points: points)], logY: true), size: .standard)
        #expect(log.series[0].lines.map(\.count) == [4, 2, 2])
        #expect(log.yTicks.allSatisfy { $0.value > 0 })
    }

    @Test func degenerateDataStillLaysOut() {
        for points in [[ChartPoint(x: 1, y: 0.5)], [ChartPoint(x: 1, y: 2), ChartPoint(x: 2, y: 2)], []] {
            let layout = FigureLayout(figure([FigureSeries(name: "a", points: points)]), size: .standard)
            let coordinates = layout.series.flatMap(\.lines).flatMap { $0 }.flatMap { [$0.x, $0.y] }
                + layout.xTicks.map(\.position) + layout.yTicks.map(\.position)
            #expect(coordinates.allSatisfy { $0.isFinite })
            #expect((layout.emptyMessage != nil) == points.isEmpty)
            #expect(points.isEmpty || layout.yTicks.count >= 2)
        }
    }

    @Test func theLegendTakesTheCornerTheDataLeaveFree() {
        // A decreasing loss leaves the top right free.
        let loss = FigureLayout(figure([FigureSeries(name: "a", points: lossCurve())]), size: .standard)
        #expect(loss.legend!.box.maxX > loss.plot.x + loss.plot.width / 2 && loss.legend!.box.y < loss.plot.y + loss.plot.height / 2)
        // A rising curve that reaches the top early: the legend goes to a bottom corner.
        let rising = (1...30).map { ChartPoint(x: Double($0), y: 1 - exp(-Double($0) / 2)) }
        for layout in [FigureLayout(figure([FigureSeries(name: "a", points: rising)]), size: .standard),
                       FigureLayout(figure([FigureSeries(name: "a", points: rising), FigureSeries(name: "b", points: lossCurve())]),
                                    size: .standard)] {
            let box = layout.legend!.box
            #expect(LegendLayout.crossings(of: box, by: layout.series) == 0)
        }
    }

    @Test func theLegendListsEverySeriesInOrderWithItsStyle() {
        let series = (0..<4).map { FigureSeries(name: "run \($0)", points: lossCurve(scale: Double($0 + 1))) }
        let legend = FigureLayout(figure(series), size: .standard).legend!
        #expect(legend.entries.map(\.text.text) == ["run 0", "run 1", "run 2", "run 3"])
        #expect(legend.entries.map(\.style) == (0..<4).map(SeriesStyle.at))
        #expect(zip(legend.entries, legend.entries.dropFirst()).allSatisfy { $0.text.box.maxY <= $1.text.box.y })
        #expect(legend.entries.allSatisfy { legend.box.contains($0.text.box) })
    }

    @Test func aLegendTooTallForThePlotEndsInACount() {
        let series = (0..<30).map { FigureSeries(name: "run \($0)", points: lossCurve(scale: Double($0 + 1))) }
        let layout = FigureLayout(figure(series), size: FigureSize(width: 600, height: 300))
        let legend = layout.legend!
        #expect(layout.plot.contains(legend.box))
        #expect(legend.entries.count >= 3 && legend.entries.count < 30)
        #expect(legend.more?.text == "+\(30 - legend.entries.count) more")
        #expect(legend.box.contains(legend.more!.box) && legend.entries.last!.text.box.maxY <= legend.more!.box.y)
        #expect(FigureLayout(figure(Array(series.prefix(3))), size: .standard).legend?.more == nil)
    }

    @Test func markersAreFewAndDoNotCoincideAcrossSeries() {
        let points = (1...400).map { ChartPoint(x: Double($0), y: 1) }
        let layout = FigureLayout(figure([FigureSeries(name: "a", points: points), FigureSeries(name: "b", points: points)]),
                                  size: .standard, options: FigureOptions(markersPerSeries: 8))
        #expect(layout.series.map(\.markers.count) == [8, 8])
        #expect(Set(layout.series[0].markers.map(\.x)).isDisjoint(with: layout.series[1].markers.map(\.x)))
        let few = FigureLayout(figure([FigureSeries(name: "a", points: lossCurve(epochs: 5))]), size: .standard)
        #expect(few.series[0].markers == few.series[0].lines[0])
    }

    @Test func stylesStayDistinctWithoutColour() {
        let styles = (0..<84).map(SeriesStyle.at)
        #expect(Set(styles.map { "\($0.color)\($0.dash)\($0.marker)" }).count == 84)
        for (a, b) in zip(styles, styles.dropFirst()) { #expect(a.dash != b.dash && a.marker != b.marker && a.color != b.color) }
        #expect(Set(styles.prefix(7).map(\.color)).count == 7)
    }
}
