/// Everything that can go wrong reading a data file or building a data set.
///
/// Each message is one line that names the file, says what is wrong, and where
/// it helps gives the position and the expected versus the actual value. CSV row
/// numbers are 1-based line numbers in the file (the header is line 1).
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// An IDX file whose first two bytes are not zero.
    case badMagic(file: String, found: [UInt8])
    /// An IDX type code other than 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E.
    case unknownTypeCode(file: String, code: UInt8)
    /// Fewer bytes than the header (magic plus dimensions) needs.
    case truncatedHeader(file: String, expected: Int, found: Int)
    /// Fewer payload bytes than the dimensions promise.
    case truncatedPayload(file: String, expected: Int, found: Int)
    /// More payload bytes than the dimensions account for.
    case trailingBytes(file: String, expected: Int, found: Int)
    /// Dimensions whose product overflows `Int`.
    case dimensionsOverflow(file: String, dimensions: [Int])
    /// An IDX file of a different element type or rank than the caller needs.
    case unexpectedLayout(file: String, expected: String, found: String)
    /// Image and label files that hold different numbers of samples.
    case countMismatch(file: String, count: Int, otherFile: String, otherCount: Int)
    /// A gzip stream that zlib rejects.
    case damagedGzip(file: String, reason: String)
    /// A CSV file without a header line.
    case emptyFile(file: String)
    /// A CSV row with the wrong number of fields.
    case raggedRow(file: String, row: Int, expected: Int, found: Int)
    /// A quoted CSV field that never closes.
    case unterminatedQuote(file: String, row: Int)
    /// A CSV cell that is not a number.
    case nonNumericCell(file: String, row: Int, column: String, text: String)
    /// An empty or `NA` CSV cell while missing values are rejected.
    case missingValue(file: String, row: Int, column: String)
    /// A column asked for by name that the header does not have.
    case missingColumn(file: String, column: String, available: [String])
    /// A label the task cannot take (e.g. `2` for a binary task).
    case labelOutOfRange(file: String, row: Int, label: String, allowed: String)
    /// A CSV file with a header line but no data rows after it.
    case noDataRows(file: String, headerLine: Int)
    /// A data file of zero samples (IDX dimensions with 0 items).
    case noSamples(file: String, shape: [Int])
    /// A CSV file whose only column is the label: no feature to learn from.
    case noFeatureColumns(file: String, label: String)
    /// Samples of a shape with no values (IDX images of width or height 0).
    case noFeatureValues(file: String, sampleShape: [Int])
    /// Labels that all name one class: the task has nothing to tell apart.
    case singleClass(file: String, count: Int, label: String, binary: Bool)
    /// A call whose arguments make no sense (e.g. a split fraction of 1.5).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file): cannot read file: \(reason)"
        case let .badMagic(file, found):
            "\(file): bad magic: expected 00 00 at byte 0, found \(Self.hex(found))"
        case let .unknownTypeCode(file, code):
            "\(file): unknown IDX type code 0x\(Self.hex([code])) at byte 2 (expected one of 08 09 0B 0C 0D 0E)"
        case let .truncatedHeader(file, expected, found):
            "\(file): truncated header: expected \(expected) bytes, found \(found)"
        case let .truncatedPayload(file, expected, found):
            "\(file): truncated payload: expected \(expected) bytes after the header, found \(found)"
        case let .trailingBytes(file, expected, found):
            "\(file): unexpected trailing data: expected \(expected) bytes after the header, found \(found)"
        case let .dimensionsOverflow(file, dimensions):
            "\(file): dimensions \(dimensions) describe more elements than can be addressed"
        case let .unexpectedLayout(file, expected, found):
            "\(file): expected \(expected), found \(found)"
        case let .countMismatch(file, count, otherFile, otherCount):
            "\(file): holds \(count) samples but \(otherFile) holds \(otherCount)"
        case let .damagedGzip(file, reason):
            "\(file): damaged gzip stream: \(reason)"
        case let .emptyFile(file):
            "\(file): empty file: expected a header line"
        case let .raggedRow(file, row, expected, found):
            "\(file): line \(row): expected \(expected) fields, found \(found)"
        case let .unterminatedQuote(file, row):
            "\(file): line \(row): quoted field is never closed"
        case let .nonNumericCell(file, row, column, text):
            "\(file): line \(row), column '\(column)': not a number: \"\(text)\""
        case let .missingValue(file, row, column):
            "\(file): line \(row), column '\(column)': missing value (use an imputation option to fill it)"
        case let .missingColumn(file, column, available):
            "\(file): no column '\(column)'; columns are: \(available.joined(separator: ", "))"
        case let .labelOutOfRange(file, row, label, allowed):
            "\(file): line \(row): label \(label) is out of range (allowed: \(allowed))"
        case let .noDataRows(file, headerLine):
            "\(file): no data rows: expected at least one row after the header (line \(headerLine))"
        case let .noSamples(file, shape):
            "\(file): no samples: dimensions \(shape) hold 0 items, expected at least one"
        case let .noFeatureColumns(file, label):
            "\(file): no feature columns: the header has only the label column '\(label)' (check the delimiter)"
        case let .noFeatureValues(file, sampleShape):
            "\(file): no feature values: samples of shape \(sampleShape) hold 0 values each"
        case let .singleClass(file, count, label, binary):
            "\(file): all \(count) samples have label '\(label)': "
                + (binary ? "a binary task needs both 0 and 1" : "a multiclass task needs at least 2 classes")
        case let .invalidArgument(message):
            message
        }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xF)]]) }.joined(separator: " ")
    }
}
