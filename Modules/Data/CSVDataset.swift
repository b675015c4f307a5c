/// Options for reading a numeric CSV with a header into a data set.
public struct CSVOptions: Sendable {
    /// What to do with an empty or missing (`NA`, `N/A`, `NaN`, `null`) feature cell.
    public enum MissingValues: Sendable {
        /// Throw `DataError.missingValue` naming the row and column.
        case reject
        /// Fill with the mean of the column's present values in this file.
        case imputeMean
    }

    /// The task the labels are for.
    public enum Task: Sendable {
        /// Class indices (for cross-entropy).
        case multiclass
        /// 0/1 labels (for the BCE family): integer labels must be 0 or 1, text labels two classes.
        case binary
    }

    /// The label column's name; `nil` means the last column.
    public var label: String?
    /// The feature columns, in order; `nil` means every column but the label.
    public var features: [String]?
    /// The field separator.
    public var delimiter: Character
    /// Missing feature values.
    public var missingValues: MissingValues
    /// The task the labels are for.
    public var task: Task

    public init(label: String? = nil, features: [String]? = nil, delimiter: Character = ",",
                missingValues: MissingValues = .reject, task: Task = .multiclass) {
        self.label = label
        self.features = features
        self.delimiter = delimiter
        self.missingValues = missingValues
        self.task = task
    }
}

/// A numeric CSV read into a data set: Float features `[N, D]` and the label
/// column as class indices (multiclass) or 0/1 values (binary).
public struct CSVDataset: Sendable {
    /// The file read.
    public var file: String
    /// The feature column names, in feature order.
    public var featureNames: [String]
    /// The label column name.
    public var labelColumn: String
    /// The mapping from label texts to class indices.
    public var labelEncoding: LabelEncoding
    /// The samples.
    public var dataset: TensorDataset
    /// The 1-based file line of each sample.
    public var lines: [Int]

    /// The largest integer label taken as a class index (integer labels are used
    /// directly as indices, so a stray huge value must not create millions of classes).
    static let maxClassIndex = 65535

    /// Texts read as a missing value.
    static let missingMarkers: Set<String> = ["", "NA", "N/A", "NaN", "nan", "null"]

    /// Reads the CSV at `path` as `options` say.
    public static func load(contentsOf path: String, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVDataset {
        try build(from: CSVReader.readTable(contentsOf: path, delimiter: options.delimiter), options: options)
    }

    /// Builds the data set from a parsed table.
    /// - Throws: `DataError` for a table without data rows, a missing column, a missing or
    ///   non-numeric cell, or a label the task cannot take.
    public static func build(from table: CSVTable, options: CSVOptions = CSVOptions()) throws(DataError) -> CSVDataset {
        let file = table.file, header = table.header
        func column(_ name: String) throws(DataError) -> Int {
            guard let j = header.firstIndex(of: name) else {
                throw .missingColumn(file: file, column: name, available: header)
            }
            return j
        }
        guard !header.isEmpty else { throw .emptyFile(file: file) }
        guard !table.records.isEmpty else { throw .noDataRows(file: file, headerLine: table.headerLine) }
        let labelIndex = try options.label.map { name throws(DataError) in try column(name) } ?? header.count - 1
        var featureIndices: [Int] = []
        if let names = options.features {
            for name in names { featureIndices.append(try column(name)) }
        } else {
            featureIndices = header.indices.filter { $0 != labelIndex }
        }
        let rows = table.records, d = featureIndices.count

        // Features, with missing cells marked as NaN until imputed.
        var values = [Float](repeating: 0, count: rows.count * d)
        var missing: [(row: Int, column: Int)] = []
        for (r, record) in rows.enumerated() {
            for (k, j) in featureIndices.enumerated() {
                let text = record.fields[j].trimmingSpaces()
                if missingMarkers.contains(text) {
                    guard case .imputeMean = options.missingValues else {
                        throw .missingValue(file: file, row: record.line, column: header[j])
                    }
                    missing.append((r, k))
                    values[r * d + k] = .nan
                } else if let v = Float(text), v.isFinite {
                    values[r * d + k] = v
                } else {
                    throw .nonNumericCell(file: file, row: record.line, column: header[j], text: record.fields[j])
                }
            }
        }
        if !missing.isEmpty { imputeMeans(&values, columns: d, at: missing) }

        let labels = try rows.map { record throws(DataError) in
            let text = record.fields[labelIndex].trimmingSpaces()
            if missingMarkers.contains(text) { throw .missingValue(file: file, row: record.line, column: header[labelIndex]) }
            return text
        }
        let (encoding, classes) = try encode(labels, rows: rows, file: file, task: options.task)
        let targets: TensorDataset.Targets = options.task == .binary
            ? .binary(classes.map(Float.init)) : .classes(classes, count: encoding.classCount)
        let dataset = try TensorDataset(features: .floats(values), sampleShape: [d], targets: targets,
                                        classNames: encoding.classNames)
        return CSVDataset(file: file, featureNames: featureIndices.map { header[$0] }, labelColumn: header[labelIndex],
                          labelEncoding: encoding, dataset: dataset, lines: rows.map(\.line))
    }

    /// Replaces each missing cell with its column's mean over present cells (0 if none).
    static func imputeMeans(_ values: inout [Float], columns d: Int, at cells: [(row: Int, column: Int)]) {
        var sums = [Double](repeating: 0, count: d), counts = [Int](repeating: 0, count: d)
        for (k, v) in values.enumerated() where !v.isNaN { sums[k % d] += Double(v); counts[k % d] += 1 }
        for (r, k) in cells { values[r * d + k] = counts[k] > 0 ? Float(sums[k] / Double(counts[k])) : 0 }
    }

    /// Maps label texts to class indices (see `LabelEncoding`) and checks them against the task.
    static func encode(_ labels: [String], rows: [CSVRecord], file: String, task: CSVOptions.Task)
        throws(DataError) -> (LabelEncoding, [Int]) {
        let integers = labels.compactMap { Int($0) }
        if integers.count == labels.count {
            let limit = task == .binary ? 1 : maxClassIndex
            if let r = integers.firstIndex(where: { $0 < 0 || $0 > limit }) {
                throw .labelOutOfRange(file: file, row: rows[r].line, label: labels[r],
                                       allowed: task == .binary ? "0 or 1 for a binary task" : "integers 0...\(maxClassIndex)")
            }
            let count = task == .binary ? 2 : (integers.max() ?? -1) + 1
            return (LabelEncoding(integerLabels: true, classNames: (0..<count).map(String.init)), integers)
        }
        let names = Set(labels).sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        if task == .binary, names.count > 2, let r = labels.firstIndex(where: { $0 == names[2] }) {
            throw .labelOutOfRange(file: file, row: rows[r].line, label: labels[r],
                                   allowed: "two classes for a binary task, found \(names.count): \(names.joined(separator: ", "))")
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        return (LabelEncoding(integerLabels: false, classNames: names), labels.map { index[$0]! })
    }
}
