import ArgumentParser
import Data
import Foundation

/// `trainboard data …`: look at data files.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Inspect data files (IDX, CSV).",
        subcommands: [DataInspect.self])
}

/// `trainboard data inspect PATH`: what an IDX or CSV file holds, or one line saying what is wrong with it.
struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the type, shape and value statistics of an IDX or CSV file (plain or gzip).",
        discussion: "IDX is recognised by its content (bytes 00 00) or an idx/ubyte name; anything else is read as CSV. "
            + "On a malformed file, prints one line to stderr and exits with status 1.")

    @Argument(help: "The IDX or CSV file.") var path: String
    @Option(help: "CSV label column (default: the last column).") var label: String?
    @Option(help: "CSV field delimiter: one character, or 'tab' (default: tab for .tsv files, else ',').")
    var delimiter: String?

    func validate() throws {
        if let delimiter, delimiter != "tab", delimiter.count != 1 {
            throw ValidationError("--delimiter must be one character or 'tab', got '\(delimiter)'")
        }
    }

    func run() throws {
        do {
            let bytes = try BinaryFile.contents(of: path)
            let compressed = Gzip.isCompressed(bytes)
            let content = compressed ? try Gzip.decompress(bytes, file: path) : bytes
            let name = (path as NSString).lastPathComponent.lowercased()
            let looksIDX = content.starts(with: [0, 0]) || name.contains("idx") || name.contains("ubyte")
            let header = "file: \(path)\(compressed ? " (gzip)" : "")"
            if looksIDX {
                let idx = try IDXReader.decode(content, file: path)
                print(header)
                inspect(idx)
            } else {
                let chosen = delimiter ?? (name.hasSuffix(".tsv") || name.hasSuffix(".tsv.gz") ? "tab" : ",")
                let separator: Character = chosen == "tab" ? "\t" : Character(chosen)
                let table = try CSVReader.parse(content, file: path, delimiter: separator)
                let csv = try CSVDataset.build(from: table, options: CSVOptions(label: label, delimiter: separator))
                print(header)
                inspect(csv, columns: table.header.count)
            }
        } catch {
            FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func inspect(_ idx: IDXArray) {
        print("format: IDX")
        print("element type: \(idx.elementType)")
        print("shape: \(idx.shape)")
        print("count: \(idx.count)")
        if let range = idx.elements.valueRange() {
            print("value range: \(Self.format(range.lowerBound)) ... \(Self.format(range.upperBound))")
        }
        guard idx.shape.count == 1, let values = idx.elements.integers() else { return }
        let histogram = Dictionary(grouping: values, by: { $0 }).mapValues(\.count)
        guard histogram.count <= 1000 else { print("classes: \(histogram.count) distinct values"); return }
        print("class histogram (\(histogram.count) classes):")
        for (value, n) in histogram.sorted(by: { $0.key < $1.key }) {
            print("  \(String(value).leftPadded(6))  \(String(n).leftPadded(8))  \(Self.percent(n, of: values.count))")
        }
    }

    private func inspect(_ csv: CSVDataset, columns: Int) {
        let set = csv.dataset
        print("format: CSV")
        print("rows: \(set.count)")
        print("columns: \(columns) (\(csv.featureNames.count) features + label)")
        print("label column: \(csv.labelColumn)")
        let classes = set.classIndices ?? []
        print("class balance (\(csv.labelEncoding.classCount) classes):")
        var counts = [Int](repeating: 0, count: csv.labelEncoding.classCount)
        for c in classes { counts[c] += 1 }
        let shown = 30
        for (name, n) in zip(csv.labelEncoding.classNames, counts).prefix(shown) {
            print("  \(name.leftPadded(12))  \(String(n).leftPadded(8))  \(Self.percent(n, of: classes.count))")
        }
        if counts.count > shown { print("  … and \(counts.count - shown) more classes") }
        if columns == 1 { print("note: only one column was found; check the delimiter (--delimiter)") }
        let features = set.featureTensor().scalars, d = csv.featureNames.count
        let width = max(8, csv.featureNames.map(\.count).max() ?? 0)
        print("\("column".leftPadded(width))  \("min".leftPadded(12))  \("mean".leftPadded(12))  \("max".leftPadded(12))")
        for (j, name) in csv.featureNames.enumerated() {
            var low = Float.infinity, high = -Float.infinity, sum = 0.0
            for i in 0..<set.count {
                let x = features[i * d + j]
                low = min(low, x); high = max(high, x); sum += Double(x)
            }
            let mean = set.count > 0 ? sum / Double(set.count) : .nan
            print("\(name.leftPadded(width))  \(Self.format(Double(low)).leftPadded(12))  "
                + "\(Self.format(mean).leftPadded(12))  \(Self.format(Double(high)).leftPadded(12))")
        }
    }

    private static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%.6g", x)
    }

    private static func percent(_ n: Int, of total: Int) -> String {
        String(format: "%5.1f%%", total > 0 ? 100 * Double(n) / Double(total) : 0)
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
