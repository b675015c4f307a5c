import Testing
@testable import Data

@Suite("CSV reader")
struct CSVReaderTests {
    private func table(_ text: String, delimiter: Character = ",") throws -> CSVTable {
        try CSVReader.parse(Array(text.utf8), file: "t.csv", delimiter: delimiter)
    }

    @Test("quoted fields keep delimiters, line breaks and doubled quotes")
    func quotes() throws {
        let t = try table("a,b,c\n\"1,5\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n4,5,6\n")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.records.count == 2)
        #expect(t.records[0].fields == ["1,5", "say \"hi\"", "two\nlines"])
        #expect(t.records[1].line == 4)  // the quoted line break moves the next record to line 4
    }

    @Test("blank lines are skipped and line numbers stay file lines")
    func blankLines() throws {
        let t = try table("x;y\n\n1;2\n   \n3;4", delimiter: ";")
        #expect(t.records.map(\.line) == [3, 5])
        #expect(t.records.map(\.fields) == [["1", "2"], ["3", "4"]])
    }

    @Test("ragged row names its line and the field counts")
    func raggedRow() {
        expectError(try table("a,b,c\n1,2,3\n4,5\n"), contains: ["t.csv: line 3: expected 3 fields, found 2"])
    }

    @Test("empty file and unterminated quote")
    func emptyAndUnterminated() {
        expectError(try table(""), contains: ["t.csv: empty file"])
        expectError(try table("\n\n"), contains: ["empty file"])
        expectError(try table("a,b\n1,\"open\n"), contains: ["t.csv: line 2: quoted field is never closed"])
    }

    @Test("a gzip CSV is read by content, whatever its name")
    func gzipCSV() throws {
        let path = try Fixtures().write("table.csv", Gzip.compress(Array("a,b\n1,2\n".utf8)))
        #expect(try CSVReader.readTable(contentsOf: path).records.map(\.fields) == [["1", "2"]])
    }

    @Test("a delimiter must be one ASCII character")
    func badDelimiter() {
        expectError(try table("a\n1", delimiter: "é"), contains: ["delimiter"])
    }
}
