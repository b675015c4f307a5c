/// One parsed CSV record: its fields and the 1-based file line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based line number in the file where the record starts.
    public var line: Int
    /// The field texts, unquoted.
    public var fields: [String]
}

/// A CSV file split into a header and records, all as text.
public struct CSVTable: Sendable, Equatable {
    /// The file it came from (for messages).
    public var file: String
    /// The column names from the first non-blank line.
    public var header: [String]
    /// The records after the header; blank lines are skipped.
    public var records: [CSVRecord]
    /// The 1-based file line of the header.
    public var headerLine = 1
}

/// Splits CSV text into fields following RFC 4180: fields in double quotes may
/// hold delimiters, line breaks and doubled quotes (`""` for `"`); lines end in
/// LF or CRLF; blank lines are skipped. Every record must have as many fields
/// as the header.
public enum CSVReader {
    /// Reads the CSV file at `path` (gzip is inflated first).
    /// - Parameters:
    ///   - path: the file to read.
    ///   - delimiter: the field separator, a single ASCII character.
    public static func readTable(contentsOf path: String, delimiter: Character = ",") throws(DataError) -> CSVTable {
        try parse(BinaryFile.decompressedContents(of: path), file: path, delimiter: delimiter)
    }

    /// Parses CSV bytes (UTF-8) already in memory.
    /// - Parameters:
    ///   - bytes: the CSV text.
    ///   - file: the name used in error messages.
    ///   - delimiter: the field separator, a single ASCII character.
    public static func parse(_ bytes: [UInt8], file: String, delimiter: Character = ",") throws(DataError) -> CSVTable {
        guard let separator = delimiter.asciiValue, delimiter != "\"", delimiter != "\n", delimiter != "\r" else {
            throw .invalidArgument("CSV delimiter must be one ASCII character other than a quote or line break, got \"\(delimiter)\"")
        }
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var i = 0
        let n = bytes.count

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            let blank = fields.isEmpty && !wasQuoted
                && field.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            endField()
            if !blank { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < n {
            let byte = bytes[i]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < n, bytes[i + 1] == UInt8(ascii: "\"") { field.append(byte); i += 2; continue }
                    quoted = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                quoted = true
                wasQuoted = true
            case separator:
                endField()
            case UInt8(ascii: "\r") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "\n"):
                break  // the LF that follows ends the record
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
            i += 1
        }
        if quoted { throw .unterminatedQuote(file: file, row: recordLine) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }

        guard let header = records.first else { throw .emptyFile(file: file) }
        let names = header.fields.map { $0.trimmingSpaces() }
        let body = Array(records.dropFirst())
        for record in body where record.fields.count != names.count {
            throw .raggedRow(file: file, row: record.line, expected: names.count, found: record.fields.count)
        }
        return CSVTable(file: file, header: names, records: body, headerLine: header.line)
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
