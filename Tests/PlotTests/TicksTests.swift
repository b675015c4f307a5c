import Foundation
import Testing
@testable import Plot

@Suite struct TicksTests {
    @Test func linearTicksAreOneTwoFiveStepsInsideTheRange() {
        #expect(close(Ticks.linear(0...1, maxCount: 6), [0, 0.2, 0.4, 0.6, 0.8, 1]))
        #expect(close(Ticks.linear(0.03...0.97, maxCount: 6), [0.2, 0.4, 0.6, 0.8]))
        #expect(Ticks.linear(-3...7, maxCount: 6) == [-2, 0, 2, 4, 6])
        #expect(Ticks.linear(120...980, maxCount: 5) == [200, 400, 600, 800])
    }

    @Test func tickCountNeverExceedsTheMaximum() {
        for range in [0.0...1, 0.123...0.129, -50...1e6, 1...60, 1e-7...3e-6, 0...0.999] {
            for maxCount in 2...12 {
                let ticks = Ticks.linear(range, maxCount: maxCount)
                #expect(ticks.count <= maxCount && ticks.count >= 1, "\(range) \(maxCount): \(ticks)")
                let slack = (range.upperBound - range.lowerBound) * 1e-9
                #expect(ticks.allSatisfy { $0 >= range.lowerBound - slack && $0 <= range.upperBound + slack })
            }
        }
    }

    @Test func integerAxesGetWholeNumberTicks() {
        #expect(Ticks.linear(1...3, maxCount: 10, integers: true) == [1, 2, 3])
        #expect(Ticks.linear(1...60, maxCount: 8, integers: true) == [10, 20, 30, 40, 50, 60])
        #expect(Ticks.linear(1...3, maxCount: 10) != [1, 2, 3])   // without the flag: 0.2 apart
    }

    @Test func zeroIsWrittenAsZero() {
        let ticks = Ticks.linear(-0.3...0.3, maxCount: 7)
        #expect(ticks.contains(0) && ticks.first { $0 == 0 }!.sign == .plus)
        #expect(Ticks.labels(ticks, step: 0.1) == ["-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"])
    }

    @Test func labelsShareTheirDecimals() {
        #expect(Ticks.labels([0, 0.5, 1], step: 0.5) == ["0.0", "0.5", "1.0"])
        #expect(Ticks.labels([0.05, 0.1], step: 0.05) == ["0.05", "0.10"])
        #expect(Ticks.labels([100, 200], step: 100) == ["100", "200"])
        #expect(Ticks.labels([2e6, 4e6], step: 2e6) == ["2e+06", "4e+06"])
        #expect(Ticks.labels([1e-5, 2e-5], step: 1e-5) == ["1e-05", "2e-05"])
    }

    @Test func logTicksArePowersOfTenThenOneTwoFive() {
        #expect(close(Ticks.logarithmic(0.003...1.2, maxCount: 6), [0.01, 0.1, 1]))
        #expect(close(Ticks.logarithmic(1e-6...1e6, maxCount: 5), [1e-6, 1e-3, 1, 1e3, 1e6]))
        #expect(close(Ticks.logarithmic(0.15...0.9, maxCount: 6), [0.2, 0.5]))
        #expect(Ticks.logLabels([0.01, 0.1, 1, 10, 1e6]) == ["0.01", "0.1", "1", "10", "1e+06"])
    }

    @Test func aNarrowLogRangeFallsBackToLinearTicks() {
        let ticks = Ticks.logarithmic(0.31...0.38, maxCount: 5)
        #expect(ticks.count >= 2 && ticks.allSatisfy { (0.31...0.38).contains($0) })
    }
}

/// Whether two lists of numbers agree to a relative 1e-9.
func close(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
}
