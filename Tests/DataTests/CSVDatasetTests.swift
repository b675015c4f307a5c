import Foundation
import Testing
@testable import Data

@Suite("CSV data sets")
struct CSVDatasetTests {
    private func load(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> CSVDataset {
        try CSVDataset.build(from: CSVReader.parse(Array(text.utf8), file: "d.csv", delimiter: options.delimiter),
                             options: options)
    }

    @Test("the last column is the label by default; features keep their order")
    func defaults() throws {
        let csv = try load("f1,f2,y\n1,2,0\n3,4,2\n5,6,1\n")
        #expect(csv.featureNames == ["f1", "f2"])
        #expect(csv.labelColumn == "y")
        #expect(csv.dataset.sampleShape == [2])
        #expect(csv.dataset.featureTensor().scalars == [1, 2, 3, 4, 5, 6])
        #expect(csv.dataset.targets == .classes([0, 2, 1], count: 3))
        #expect(csv.lines == [2, 3, 4])
    }

    @Test("label and feature columns by name, other delimiter")
    func byName() throws {
        let csv = try load("y;a;b;c\n1;1;2;3\n0;4;5;6\n", CSVOptions(label: "y", features: ["c", "a"], delimiter: ";", task: .binary))
        #expect(csv.featureNames == ["c", "a"])
        #expect(csv.dataset.featureTensor().scalars == [3, 1, 6, 4])
        #expect(csv.dataset.targets == .binary([1, 0]))
    }

    @Test("string labels map to indices in sorted order, and the mapping round-trips through JSON")
    func stringLabels() throws {
        let csv = try load("x,kind\n1,setosa\n2,virginica\n3,\"versicolor\"\n4,setosa\n")
        #expect(csv.labelEncoding.classNames == ["setosa", "versicolor", "virginica"])
        #expect(csv.dataset.classIndices == [0, 2, 1, 0])
        #expect(csv.labelEncoding.index(of: "virginica") == 2)
        let decoded = try JSONDecoder().decode(LabelEncoding.self, from: JSONEncoder().encode(csv.labelEncoding))
        #expect(decoded == csv.labelEncoding)
    }

    @Test("a missing label column names the columns that exist")
    func missingLabelColumn() {
        expectError(try load("a,b\n1,2\n", CSVOptions(label: "target")),
                    contains: ["d.csv: no column 'target'; columns are: a, b"])
        expectError(try load("a,b\n1,2\n", CSVOptions(features: ["a", "zz"])), contains: ["no column 'zz'"])
    }

    @Test("non-numeric cells name the line, the column and the text")
    func nonNumeric() {
        expectError(try load("a,b,y\n1,2,0\n3,abc,1\n"), contains: ["d.csv: line 3, column 'b': not a number: \"abc\""])
    }

    @Test("NA and empty cells are rejected, or imputed with the column mean when asked")
    func missingValues() throws {
        expectError(try load("a,b,y\n1,NA,0\n"), contains: ["d.csv: line 2, column 'b': missing value"])
        expectError(try load("a,b,y\n1,2,0\n\n,2,1\n"), contains: ["line 4, column 'a': missing value"])
        let csv = try load("a,b,y\n1,NA,0\n3,4,1\n5,8,0\n", CSVOptions(missingValues: .imputeMean))
        #expect(csv.dataset.featureTensor().scalars == [1, 6, 3, 4, 5, 8])
        expectError(try load("a,y\n1,\n", CSVOptions(missingValues: .imputeMean)), contains: ["line 2, column 'y': missing value"])
    }

    @Test("labels outside the task's range are rejected with their line")
    func labelRange() {
        expectError(try load("a,y\n1,0\n2,1\n3,2\n", CSVOptions(task: .binary)),
                    contains: ["d.csv: line 4: label 2 is out of range (allowed: 0 or 1 for a binary task)"])
        expectError(try load("a,y\n1,-1\n", CSVOptions()), contains: ["line 2: label -1"])
        expectError(try load("a,y\n1,0\n2,70000\n"), contains: ["line 3: label 70000", "0...65535"])
        expectError(try load("a,y\n1,cat\n2,dog\n3,emu\n", CSVOptions(task: .binary)),
                    contains: ["line 4: label emu", "found 3: cat, dog, emu"])
    }

    @Test("a header-only file is an error, not an empty data set (issue 19)")
    func headerOnly() throws {
        expectError(try load("a,b,y\n"), contains: ["d.csv: no data rows", "after the header (line 1)"])
    }

    /// The real CSVs the project ships (copied from the shared data sets).
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Config/data").standardized.path
    static let irisPath = "\(dataFolder)/iris.csv", cancerPath = "\(dataFolder)/breast_cancer.csv"

    @Test("iris: 150 rows, 4 features, 50 per class")
    func iris() throws {
        let csv = try CSVDataset.load(contentsOf: Self.irisPath)
        #expect(csv.dataset.count == 150)
        #expect(csv.featureNames.count == 4)
        #expect(csv.labelColumn == "species")
        let counts = Dictionary(grouping: csv.dataset.classIndices ?? [], by: { $0 }).mapValues(\.count)
        #expect(counts == [0: 50, 1: 50, 2: 50])
    }

    @Test("breast cancer: 569 rows, 30 features, binary label 'benign'")
    func breastCancer() throws {
        let csv = try CSVDataset.load(contentsOf: Self.cancerPath, options: CSVOptions(label: "benign", task: .binary))
        #expect(csv.dataset.count == 569)
        #expect(csv.dataset.sampleShape == [30])
        guard case let .binary(labels) = csv.dataset.targets else { Issue.record("expected binary targets"); return }
        #expect(labels.reduce(0, +) == 357)  // scikit-learn: 357 benign, 212 malignant
    }
}
