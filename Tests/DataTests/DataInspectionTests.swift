import Foundation
import Testing
@testable import Data

/// The statistics `trainboard data inspect` prints, computed in the Data module.
@Suite("Data inspection")
struct DataInspectionTests {
    @Test func csvReportHasRowsBalanceAndColumnStatistics() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("a,b,label\n1,10,x\n3,20,y\n5,30,x\n".utf8).write(to: url)
        let lines = try DataInspection.report(path: url.path)
        #expect(lines.contains("rows: 3"))
        #expect(lines.contains("columns: 3 (2 features + label)"))
        #expect(lines.contains { $0.hasSuffix("x         2   66.7%") })
        let a = try #require(lines.first { $0.hasPrefix("       a") })
        #expect(a.split(separator: " ") == ["a", "1", "3", "5"])   // min, mean, max
    }

    @Test func idxReportHasTheClassHistogram() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString)-idx1-ubyte")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0, 0, 8, 1, 0, 0, 0, 4, 1, 1, 2, 7]).write(to: url)
        let lines = try DataInspection.report(path: url.path)
        #expect(lines.contains("shape: [4]"))
        #expect(lines.contains("class histogram (3 classes):"))
        #expect(lines.contains { $0.hasPrefix("       1         2") })
    }

    @Test func aBrokenFileIsATypedError() {
        #expect(throws: DataError.self) { try DataInspection.report(path: "/nonexistent/file.csv") }
    }
}
