import Foundation
import Testing
import RunEvents
@testable import Dashboard

@Suite("Charts, braille and downsampling")
struct ChartTests {
    @Test func brailleDotsFollowTheUnicodeLayout() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(0, 0)
        canvas.set(1, 3)
        #expect(canvas.character(column: 0, row: 0) == "\u{2881}")
        #expect(canvas.character(column: 1, row: 0) == nil)
        canvas.set(99, 99)
        canvas.line(from: (0, 0), to: (3, 3))
        #expect(canvas.character(column: 1, row: 0) != nil)
    }

    @Test func downsamplingKeepsMinimumAndMaximum() {
        var points = (0..<10_000).map { ChartPoint(x: Double($0), y: 1 + Double($0 % 7) * 0.01) }
        points[4321].y = 42
        points[8765].y = -3
        let buckets = Downsampler.columns(points, count: 50, xRange: 0...9999, blockWidth: 128).compactMap { $0?.values }
        #expect(buckets.count == 50)
        #expect(buckets.map(\.max).max() == 42)
        #expect(buckets.map(\.min).min() == -3)
        #expect(buckets.map(\.count).reduce(0, +) == 10_000)
    }

    @Test func spikeSurvivesInTheDrawnChart() {
        var points = (1...5000).map { ChartPoint(x: Double($0), y: 1) }
        points[2500].y = 100
        let chart = Chart(series: [ChartSeries(label: "raw", points: points, style: .accent)], xLabel: "step")
        var frame = Frame(size: TerminalSize(columns: 40, rows: 12))
        chart.draw(into: &frame, in: frame.bounds)
        let plot = Chart.plotRect(in: frame.bounds)
        let topRow = (plot.x..<plot.maxX).map { frame[$0, plot.y].character }
        #expect(topRow.contains { ("\u{2801}"..."\u{28FF}").contains($0) }, "spike missing from the top row")
        #expect(frame.line(plot.maxY + 1).contains("5.0k step"))
    }

    @Test func logScaleChangesTheTickLabels() {
        let points = (1...100).map { ChartPoint(x: Double($0), y: 1 / Double($0)) }
        var chart = Chart(series: [ChartSeries(label: "loss", points: points, style: .accent)], xLabel: "step")
        let linear = chart.yTicks(rows: 9, range: chart.scale(columns: 40)!.y).map(\.label)
        chart.logScale = true
        let log = chart.yTicks(rows: 9, range: chart.scale(columns: 40)!.y).map(\.label)
        #expect(linear.count == 5 && log.count == 5)
        #expect(linear != log)
        #expect(linear[2] != log[2])
        // Log ticks are evenly spaced in log10: the middle one is the geometric mean of the ends.
        let range = chart.scale(columns: 40)!.y
        #expect(abs((range.lowerBound + range.upperBound) / 2 - log10(0.1)) < 0.2)
    }

    @Test func linearAxisOfNonNegativeDataStartsAtZeroOrAbove() {
        let loss = [ChartPoint(x: 1, y: 2.3), ChartPoint(x: 2, y: 0.01)]
        let chart = Chart(series: [ChartSeries(label: "loss", points: loss, style: .accent)], xLabel: "step")
        #expect(chart.scale(columns: 40)!.y.lowerBound == 0)
        #expect(chart.scale(columns: 40)!.y.upperBound > 2.3)
        let signed = [ChartPoint(x: 1, y: 1), ChartPoint(x: 2, y: -1)]
        #expect(Chart(series: [ChartSeries(label: "s", points: signed, style: .accent)], xLabel: "step").scale(columns: 40)!.y.lowerBound < -1)
    }

    @Test func emptyChartSaysItWaits() {
        var frame = Frame(size: TerminalSize(columns: 40, rows: 8))
        Chart(series: [], xLabel: "step").draw(into: &frame, in: frame.bounds)
        #expect(frame.text.contains("waiting for data"))
    }

    @Test func meterFillsInEighths() {
        #expect(Meter(fraction: 0.5, width: 10).bar == "█████░░░░░")
        #expect(Meter(fraction: 0.25, width: 2).bar == "▌░")
        #expect(Meter(fraction: 0.0625, width: 2).bar == "▏░")
        #expect(Meter(fraction: 2, width: 4).bar == "████")
        #expect(Meter(fraction: .nan, width: 3).percent == "  0%")
        #expect(Meter(fraction: 0.45, width: 3).percent == " 45%")
    }

    @Test func rectSplitsNeverGoNegative() {
        let rect = Rect(x: 0, y: 0, width: 5, height: 3)
        #expect(rect.inset(by: 4).isEmpty)
        #expect(rect.splitTop(10).rest.height == 0)
        #expect(rect.columns(weights: [3, 2]).map(\.width) == [3, 2])
    }
}

@Suite("Number formats")
struct NumberFormatTests {
    @Test func formatsStayShort() {
        #expect(NumberFormat.compact(0.23141) == "0.2314")
        #expect(NumberFormat.compact(12.34) == "12.3")
        #expect(NumberFormat.compact(3100) == "3.1k")
        #expect(NumberFormat.compact(0.00002) == "2.0e-05")
        #expect(NumberFormat.axisX(5) == "5" && NumberFormat.axisX(2500) == "2.5k")
        #expect(NumberFormat.axisX(5.5) == "5.5" && NumberFormat.axisX(7.126) == "7.13" && NumberFormat.axisX(0.001) == "0")
        #expect(NumberFormat.grouped(1_234_567) == "1,234,567")
        #expect(NumberFormat.rate(1234.56) == "1,234.6")
        #expect(NumberFormat.duration(3725) == "1:02:05" && NumberFormat.duration(65) == "01:05")
    }
}
