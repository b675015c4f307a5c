import Foundation

/// What `trainboard data inspect` prints about a data file: its format, shape and
/// value statistics, as lines of text. IDX is recognised by its content (bytes
/// `00 00`) or an `idx`/`ubyte` name; anything else is read as CSV.
public enum DataInspection {
    /// The report for the IDX or CSV file at `path` (plain or gzip).
    /// - Parameters:
    ///   - path: the data file to inspect.
    ///   - label: the CSV label column (default: the last).
    ///   - delimiter: the CSV field delimiter (default: tab for `.tsv` files, else `,`).
    /// - Throws: `DataError` naming the file and what is wrong with it.
    public static func report(path: String, label: String? = nil, delimiter: Character? = nil) throws -> [String] {
        let bytes = try BinaryFile.contents(of: path)
        let compressed = Gzip.isCompressed(bytes)
        let content = compressed ? try Gzip.decompress(bytes, file: path) : bytes
        let name = (path as NSString).lastPathComponent.lowercased()
        let header = "file: \(path)\(compressed ? " (gzip)" : "")"
        if content.starts(with: [0, 0]) || name.contains("idx") || name.contains("ubyte") {
            return [header] + lines(try IDXReader.decode(content, file: path))
        }
        let separator = delimiter ?? (name.hasSuffix(".tsv") || name.hasSuffix(".tsv.gz") ? "\t" : ",")
        let table = try CSVReader.parse(content, file: path, delimiter: separator)
        let csv = try CSVDataset.build(from: table, options: CSVOptions(label: label, delimiter: separator))
        return [header] + lines(csv, columns: table.header.count)
    }

    /// Element type, shape, value range and, for a label file, the class histogram.
    static func lines(_ idx: IDXArray) -> [String] {
        var lines = ["format: IDX", "element type: \(idx.elementType)", "shape: \(idx.shape)", "count: \(idx.count)"]
        if let range = idx.elements.valueRange() {
            lines.append("value range: \(format(range.lowerBound)) ... \(format(range.upperBound))")
        }
        guard idx.shape.count == 1, let values = idx.elements.integers() else { return lines }
        let histogram = Dictionary(grouping: values, by: { $0 }).mapValues(\.count)
        guard histogram.count <= 1000 else { return lines + ["classes: \(histogram.count) distinct values"] }
        lines.append("class histogram (\(histogram.count) classes):")
        for (value, n) in histogram.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(pad(String(value), 6))  \(pad(String(n), 8))  \(percent(n, of: values.count))")
        }
        return lines
    }

    /// Rows, columns, class balance and per-column min, mean and max.
    static func lines(_ csv: CSVDataset, columns: Int) -> [String] {
        let set = csv.dataset
        var lines = ["format: CSV", "rows: \(set.count)", "columns: \(columns) (\(csv.featureNames.count) features + label)",
                     "label column: \(csv.labelColumn)", "class balance (\(csv.labelEncoding.classCount) classes):"]
        let classes = set.classIndices ?? []
        var counts = [Int](repeating: 0, count: csv.labelEncoding.classCount)
        for c in classes { counts[c] += 1 }
        let shown = 30
        for (name, n) in zip(csv.labelEncoding.classNames, counts).prefix(shown) {
            lines.append("  \(pad(name, 12))  \(pad(String(n), 8))  \(percent(n, of: classes.count))")
        }
        if counts.count > shown { lines.append("  … and \(counts.count - shown) more classes") }
        if columns == 1 { lines.append("note: only one column was found; check the delimiter (--delimiter)") }
        let features = set.featureTensor().scalars, d = csv.featureNames.count
        let width = max(8, csv.featureNames.map(\.count).max() ?? 0)
        lines.append("\(pad("column", width))  \(pad("min", 12))  \(pad("mean", 12))  \(pad("max", 12))")
        for (j, name) in csv.featureNames.enumerated() {
            var low = Float.infinity, high = -Float.infinity, sum = 0.0
            for i in 0..<set.count {
                let x = features[i * d + j]
                low = min(low, x); high = max(high, x); sum += Double(x)
            }
            let mean = set.count > 0 ? sum / Double(set.count) : .nan
            lines.append("\(pad(name, width))  \(pad(format(Double(low)), 12))  \(pad(format(mean), 12))  \(pad(format(Double(high)), 12))")
        }
        return lines
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%.6g", x)
    }

    static func percent(_ n: Int, of total: Int) -> String {
        String(format: "%5.1f%%", total > 0 ? 100 * Double(n) / Double(total) : 0)
    }

    /// `text` right-aligned in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
