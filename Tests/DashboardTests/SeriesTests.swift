import Foundation
import Testing
import RunEvents
@testable import Dashboard

@Suite("Bounded series: the same charts as every point, in bounded memory")
struct SeriesTests {
    /// A loss-like curve over steps 1…`count` with spikes, dips to zero and NaN/inf values
    /// (integer-valued y, so sums are exact in any order).
    static func points(_ count: Int, seed: UInt64 = 7) -> [ChartPoint] {
        var state = seed
        return (1...count).map { step in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var y = Double(1000 / (1 + step / 97) + Int(state >> 58))
            if step % 4999 == 0 { y = 5000 }                 // spikes
            if step % 3331 == 0 { y = 0 }                    // dips a log axis leaves out
            if step % 7777 == 0 { y = step % 2 == 0 ? .nan : .infinity }
            if step == count * 2 / 3 { y = .nan }
            return ChartPoint(x: Double(step), y: y)
        }
    }

    static func series(_ points: [ChartPoint], capacity: Int = Series.defaultCapacity) -> Series {
        var series = Series(capacity: capacity)
        points.forEach { series.append($0) }
        return series
    }

    /// The chart of `points` drawn from every point and from the bounded series, at `size`.
    static func frames(_ points: [ChartPoint], capacity: Int, size: TerminalSize, logScale: Bool) -> (Frame, Frame) {
        let series = Self.series(points, capacity: capacity)
        let epochs = stride(from: 1000, through: points.count, by: 1000).map { ChartPoint(x: Double($0), y: 300) }
        func frame(_ raw: ChartSeries) -> Frame {
            var frame = Frame(size: size)
            Chart(series: [raw, ChartSeries(label: "val", points: epochs, style: .good)], logScale: logScale, xLabel: "step")
                .draw(into: &frame, in: frame.bounds)
            return frame
        }
        return (frame(ChartSeries(label: "raw", points: points, style: .accent)),
                frame(ChartSeries(label: "raw", series: series, style: .accent)))
    }

    @Test(arguments: [1, 40, 150, 3_000, 20_000, 60_000])
    func chartsEqualThoseOfEveryPoint(count: Int) {
        let points = Self.points(count)
        for (capacity, size) in [(Series.defaultCapacity, TerminalSize(columns: 200, rows: 60)),
                                 (128, TerminalSize(columns: 38, rows: 12))] {   // 60 pixel columns: capacity ≥ 2·60 + 1
            for logScale in [false, true] {
                let (reference, bounded) = Self.frames(points, capacity: capacity, size: size, logScale: logScale)
                let same = reference == bounded
                #expect(same, "count \(count), capacity \(capacity), log \(logScale):\n\(reference.text)\n\(bounded.text)")
            }
        }
    }

    @Test func dashboardLossChartEqualsTheChartOfEveryPoint() {
        var model = DashboardModel()
        model.apply(.runStarted(TestRuns.started(epochs: 10, stepsPerEpoch: 4000)))
        let points = Self.points(25_000)
        for point in points {
            let step = Int(point.x)
            model.apply(.batchEnd(BatchEnd(epoch: (step - 1) / 4000 + 1, step: step, batch: (step - 1) % 4000 + 1, loss: point.y,
                                           avgLoss: point.y / 2, lr: 0.1, samplesPerSec: 1, elapsed: 1)))
        }
        let reference = Chart(series: [ChartSeries(label: "raw", points: points, style: .secondary),
                                       ChartSeries(label: "avg", points: points.map { ChartPoint(x: $0.x, y: $0.y / 2) }, style: .accent),
                                       ChartSeries(label: "val", points: [], style: .good)], xLabel: "step")
        for size in [TerminalSize(columns: 200, rows: 60), TerminalSize(columns: 100, rows: 30)] {
            var expected = Frame(size: size), drawn = Frame(size: size)
            ChartPanel.lossChart(model).draw(into: &drawn, in: drawn.bounds)
            reference.draw(into: &expected, in: expected.bounds)
            let same = drawn == expected
            #expect(same, "\(expected.text)\n\(drawn.text)")
            #expect(drawn.text.contains("×"), "NaN marker missing")
        }
        #expect(model.rawLoss.count == 25_000 && model.rawLoss.last == points.last)
    }

    @Test(arguments: [5, 1_000, 9_000, 70_000])
    func columnsEqualThoseOfEveryPointIncludingZoomsToTheRecentEnd(count: Int) {
        let points = Self.points(count)
        let series = Self.series(points, capacity: 128)
        let end = Double(count)
        for (columns, range) in [(60, 1...max(2, end)), (33, max(1, end - 500)...max(2, end)), (7, max(1, end - 20)...max(2, end))] {
            let width = Series.blockWidth(span: range.upperBound - range.lowerBound, columns: columns)
            for filter in [ValueFilter.finite, .positive] {
                #expect(series.columns(columns, over: range, filter: filter)
                        == Downsampler.columns(points, count: columns, xRange: range, blockWidth: width, filter: filter))
            }
        }
    }

    @Test func spikesAndNaNSurviveAnyAmountOfHistory() {
        var points = (1...200_000).map { ChartPoint(x: Double($0), y: 1) }
        points[12_345].y = 1e6
        points[54_321].y = .nan
        let series = Self.series(points, capacity: 32)
        let columns = series.columns(40, over: 1...200_000).compactMap { $0 }
        #expect(columns.compactMap(\.values?.max).max() == 1e6)
        #expect(columns.map(\.nonFinite).reduce(0, +) == 1)
        #expect(columns.compactMap(\.values?.count).reduce(0, +) == 199_999)
        #expect(series.count == 200_000 && series.nonFiniteCount == 1)
    }

    @Test func aBlockIsSmallAndItsLogAxisValuesAreCopiedOnWrite() {
        #expect(MemoryLayout<SeriesBlock>.stride <= 104)
        var block = SeriesBlock(ChartPoint(x: 0, y: -1), index: 0)
        #expect(block.positive == nil)
        block.merge(SeriesBlock(ChartPoint(x: 0, y: 2), index: 0))
        let copy = block
        block.merge(SeriesBlock(ChartPoint(x: 0, y: 5), index: 0))
        #expect(copy.positive?.max == 2 && copy.positive?.count == 1)
        #expect(block.positive?.max == 5 && block.positive?.count == 2)
        #expect(block.finite?.min == -1 && block.finite?.count == 3)
    }

    @Test func memoryIsBoundedByCapacityTimesLevels() {
        let series = Self.series((1...300_000).map { ChartPoint(x: Double($0), y: 1) }, capacity: 16)
        #expect(series.levelCount <= 20)
        #expect(series.storedBlocks <= series.levelCount * (16 + 1))
        let recent = series.recentPoints(from: 300_000 - 15)
        #expect(recent?.map(\.lastPoint.x) == (300_000 - 15...300_000).map(Double.init), "the recent end is exact")
        #expect(series.recentPoints(from: 1) == nil, "step 1 is long summarised")
    }

    @Test func truncationIsExactAtTheRecentEndAndDropsOneBlockFurtherBack() {
        let points = Self.points(3_000)
        var series = Self.series(points, capacity: 1024)
        series.truncate(after: 2_500)
        #expect(series.count == 2_500 && series.last == points[2_499])
        #expect(series.columns(50, over: 1...2_500) == Self.series(Array(points[..<2_500])).columns(50, over: 1...2_500))
        series.append(x: 2_501, y: 3)
        #expect(series.last == ChartPoint(x: 2_501, y: 3) && series.count == 2_501)

        var long = Self.series((1...50_000).map { ChartPoint(x: Double($0), y: Double($0)) }, capacity: 64)
        long.truncate(after: 10_000)
        let kept = long.values(.finite)!
        #expect(kept.lastX <= 10_000 && kept.max <= 10_000 && kept.min == 1)
        #expect(long.count > 10_000 - 64 * 64 && long.count <= 10_000)
        long.append(x: 10_001, y: -1)
        #expect(long.last == ChartPoint(x: 10_001, y: -1) && long.values(.finite)!.min == -1)
    }

    @Test func earlierPointsCountInTheNewestBlock() {
        var series = Series(capacity: 4)
        for x in [1.0, 2, 3, 2.5, 10] { series.append(x: x, y: x) }
        #expect(series.count == 5 && series.last == ChartPoint(x: 10, y: 10))
        #expect(series.recentPoints()?.map(\.count) == [1, 1, 2, 1])
    }
}

@Suite("Series outline for plotters")
struct SeriesOutlineTests {
    @Test func shortSeriesGiveEveryFinitePointLongOnesKeepSpikesAndEnds() {
        var short = Series()
        for (x, y) in [(1.0, 3.0), (2, .nan), (3, 1)] { short.append(x: x, y: y) }
        #expect(short.outline(columns: 10) == [ChartPoint(x: 1, y: 3), ChartPoint(x: 3, y: 1)])

        var long = Series(capacity: 64)
        for step in 1...100_000 { long.append(x: Double(step), y: step == 54_321 ? 99 : 1) }
        let outline = long.outline(columns: 25)
        #expect(outline.count <= 4 * 25 && outline.count >= 4 * 20)
        #expect(outline.map(\.y).max() == 99)
        #expect(outline.first == ChartPoint(x: 1, y: 1) && outline.last == ChartPoint(x: 100_000, y: 1))
        #expect(outline.map(\.x) == outline.map(\.x).sorted())
    }
}
