import Foundation
import Testing
@testable import Data

/// Files that parse but hold nothing to learn from (issue 19): no data rows, no feature
/// columns, a label of a single class. Each is one line naming the file and what was
/// expected, never statistics of inf/nan or a run over zero samples.
@Suite("Data with nothing to learn from")
struct LearnableDataTests {
    private func table(_ text: String, file: String = "d.csv") throws -> CSVTable {
        try CSVReader.parse(Array(text.utf8), file: file, delimiter: ",")
    }

    @Test("a CSV with a header and no rows is an error, in inspect as in a data set")
    func headerWithoutRows() throws {
        for text in ["a,b,label\n", "a,b,label\n\n\n", "a,b,label"] {
            let error = try #require(throws: DataError.self) { try CSVDataset.build(from: table(text, file: "h.csv")) }
            #expect(error.description == "h.csv: no data rows: expected at least one row after the header (line 1)")
        }
        let fixtures = try Fixtures()
        let path = try fixtures.write("header-only.csv", text: "sepal,petal,species\n")
        let error = try #require(throws: DataError.self) { try DataInspection.report(path: path) }
        #expect(error.description == "\(path): no data rows: expected at least one row after the header (line 1)")
    }

    @Test("a constant column under standardization maps to 0, never NaN (scale 1, not 1/0)")
    func constantColumnStandardized() throws {
        let csv = try CSVDataset.build(from: table("a,c,label\n1,5,x\n2,5,y\n4,5,x\n7,5,y\n"))
        let normalization = Normalization.standardization(fittedOn: csv.dataset)
        #expect(normalization.shift == [3.5, 5])
        #expect(normalization.scale[1] == 1)
        let values = try csv.dataset.normalized(by: normalization).featureTensor().scalars
        #expect(values.allSatisfy { $0.isFinite })
        #expect(stride(from: 1, to: values.count, by: 2).map { values[$0] } == [0, 0, 0, 0])
        let minMax = try csv.dataset.normalized(by: .minMax(fittedOn: csv.dataset)).featureTensor().scalars
        #expect(minMax.allSatisfy { $0.isFinite })
    }

    @Test("a CSV of only its label column has rows to inspect but no feature to learn from")
    func noFeatureColumns() throws {
        let csv = try CSVDataset.build(from: table("label\nx\ny\nx\n", file: "l.csv"))
        #expect(csv.dataset.count == 3 && csv.featureNames.isEmpty)
        let error = try #require(throws: DataError.self) { try csv.checkLearnable() }
        #expect(error.description == "l.csv: no feature columns: the header has only the label column 'label' (check the delimiter)")
    }

    @Test("a label of a single class, multiclass or binary, text or integer")
    func singleClass() throws {
        let cases: [(String, CSVOptions.Task, String)] = [
            ("a,y\n1,cat\n2,cat\n", .multiclass, "d.csv: all 2 samples have label 'cat': a multiclass task needs at least 2 classes"),
            ("a,y\n1,2\n2,2\n3,2\n", .multiclass, "d.csv: all 3 samples have label '2': a multiclass task needs at least 2 classes"),
            ("a,y\n1,1\n2,1\n", .binary, "d.csv: all 2 samples have label '1': a binary task needs both 0 and 1"),
            ("a,y\n1,no\n2,no\n", .binary, "d.csv: all 2 samples have label 'no': a binary task needs both 0 and 1"),
        ]
        for (text, task, message) in cases {
            let csv = try CSVDataset.build(from: table(text), options: CSVOptions(task: task))
            let error = try #require(throws: DataError.self) { try csv.checkLearnable() }
            #expect(error.description == message)
        }
        try CSVDataset.build(from: table("a,y\n1,0\n2,1\n"), options: CSVOptions(task: .binary)).checkLearnable()
        try CSVDataset.build(from: table("a,y\n1,5\n2,7\n")).checkLearnable()
    }

    @Test("IDX-shaped sets of zero samples or zero-size samples name the file and the shape")
    func emptyImages() throws {
        let none = try TensorDataset(features: .bytes([], scale: 1, offset: 0), sampleShape: [2, 2], targets: .classes([], count: 0))
        let error = try #require(throws: DataError.self) { try none.checkLearnable(file: "i.idx", labelFile: "l.idx") }
        #expect(error.description == "i.idx: no samples: dimensions [0, 2, 2] hold 0 items, expected at least one")
        let flat = try TensorDataset(features: .bytes([], scale: 1, offset: 0), sampleShape: [0, 2], targets: .classes([0, 1, 1], count: 2))
        let flatError = try #require(throws: DataError.self) { try flat.checkLearnable(file: "i.idx", labelFile: "l.idx") }
        #expect(flatError.description == "i.idx: no feature values: samples of shape [0, 2] hold 0 values each")
        let one = try TensorDataset(features: .bytes([1, 2], scale: 1, offset: 0), sampleShape: [1], targets: .classes([3, 3], count: 4))
        let oneError = try #require(throws: DataError.self) { try one.checkLearnable(file: "i.idx", labelFile: "l.idx") }
        #expect(oneError.description == "l.idx: all 2 samples have label '3': a multiclass task needs at least 2 classes")
    }

    @Test("the header's own line is named when blank lines come first")
    func headerLineNumber() throws {
        let error = try #require(throws: DataError.self) { try CSVDataset.build(from: table("\n\na,label\n\n")) }
        #expect(error == .noDataRows(file: "d.csv", headerLine: 3))
    }
}
