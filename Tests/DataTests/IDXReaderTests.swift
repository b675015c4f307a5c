import Testing
@testable import Data

@Suite("IDX reader")
struct IDXReaderTests {
    @Test("u8 images keep their bytes and shape")
    func readsUInt8() throws {
        let values: [UInt8] = (0..<24).map { UInt8($0 * 10) }
        let array = try IDXReader.decode(Fixtures.idx(uint8: values, shape: [2, 3, 4]), file: "x.idx")
        #expect(array.elementType == .uint8)
        #expect(array.shape == [2, 3, 4])
        #expect(array.count == 2)
        #expect(array.elements == .uint8(values))
        #expect(array.tensor(scaledToUnitRange: true).scalars[1] == Float(10) / 255)
        #expect(array.elements.valueRange() == 0...230)
    }

    @Test("every element type decodes big-endian values")
    func readsEveryType() throws {
        let i8 = try IDXReader.decode(Fixtures.idx(type: 0x09, shape: [3], payload: [0xFF, 0x80, 0x7F]), file: "i8")
        #expect(i8.elements == .int8([-1, -128, 127]))

        let i16 = try IDXReader.decode(
            Fixtures.idx(type: 0x0B, shape: [2], payload: Fixtures.bigEndian(Int16(-2)) + Fixtures.bigEndian(Int16(300))), file: "i16")
        #expect(i16.elements == .int16([-2, 300]))

        let i32 = try IDXReader.decode(
            Fixtures.idx(type: 0x0C, shape: [2], payload: Fixtures.bigEndian(Int32(-70000)) + Fixtures.bigEndian(Int32(5))), file: "i32")
        #expect(try i32.integerValues() == [-70000, 5])

        let f32 = try IDXReader.decode(
            Fixtures.idx(type: 0x0D, shape: [1, 2],
                         payload: Fixtures.bigEndian(Float(1.5).bitPattern) + Fixtures.bigEndian(Float(-0.25).bitPattern)), file: "f32")
        #expect(f32.elements == .float32([1.5, -0.25]))
        #expect(f32.tensor().shape == [1, 2])
        #expect(throws: DataError.self) { try f32.integerValues() }

        let f64 = try IDXReader.decode(
            Fixtures.idx(type: 0x0E, shape: [1], payload: Fixtures.bigEndian(Double(3.25).bitPattern)), file: "f64")
        #expect(f64.elements == .float64([3.25]))
    }

    @Test("gzip is detected by content, not by name")
    func readsGzipByContent() throws {
        let fixtures = try Fixtures()
        let plain = Fixtures.idx(uint8: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        let zipped = try fixtures.write("images.idx", Gzip.compress(plain))        // no .gz suffix
        let unzipped = try fixtures.write("labels.gz", plain)                      // .gz suffix, plain content
        #expect(try IDXReader.read(contentsOf: zipped).elements == .uint8([1, 2, 3, 4, 5, 6]))
        #expect(try IDXReader.read(contentsOf: unzipped).shape == [2, 3])
    }

    @Test("bad magic names the bytes found")
    func badMagic() {
        expectError(try IDXReader.decode([0x1A, 0x02, 0x08, 0x01, 0, 0, 0, 0], file: "x.idx"),
                    contains: ["x.idx", "bad magic", "1A 02"])
    }

    @Test("unknown type code")
    func unknownTypeCode() {
        expectError(try IDXReader.decode([0, 0, 0x0A, 1, 0, 0, 0, 0], file: "x.idx"),
                    contains: ["x.idx", "unknown IDX type code 0x0A"])
    }

    @Test("truncated header and payload give expected and found byte counts")
    func truncated() {
        expectError(try IDXReader.decode([0, 0], file: "t.idx"), contains: ["truncated header", "expected 4 bytes, found 2"])
        expectError(try IDXReader.decode([0, 0, 8, 3, 0, 0, 0, 1], file: "t.idx"),
                    contains: ["truncated header", "expected 16 bytes, found 8"])
        let file = Fixtures.idx(type: 0x08, shape: [60000, 28, 28], payload: [UInt8](repeating: 0, count: 1000))
        expectError(try IDXReader.decode(file, file: "train.idx"),
                    contains: ["train.idx: truncated payload: expected 47040000 bytes after the header, found 1000"])
        expectError(try IDXReader.decode(Fixtures.idx(type: 0x0C, shape: [2], payload: [0, 0, 0, 1, 0]), file: "t.idx"),
                    contains: ["expected 8 bytes after the header, found 5"])
        expectError(try IDXReader.decode(Fixtures.idx(uint8: [1, 2, 3], shape: [2]), file: "t.idx"),
                    contains: ["trailing data", "expected 2 bytes", "found 3"])
    }

    @Test("dimensions whose product overflows are rejected")
    func overflowingDimensions() {
        let file = Fixtures.idx(type: 0x0E, shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2, 3])
        expectError(try IDXReader.decode(file, file: "big.idx"), contains: ["big.idx", "dimensions [4294967295"])
        // Large but representable dimensions exceed the file instead.
        let large = Fixtures.idx(type: 0x08, shape: [0x7FFF_FFFF, 0x7FFF_FFFF], payload: [])
        expectError(try IDXReader.decode(large, file: "big.idx"), contains: ["truncated payload", "found 0"])
    }

    @Test("damaged and truncated gzip streams are reported")
    func damagedGzip() {
        var zipped = Gzip.compress(Fixtures.idx(uint8: [UInt8](repeating: 7, count: 4000), shape: [4000]))
        let truncated = Array(zipped.prefix(zipped.count / 2))
        expectError(try IDXReader.decode(truncated, file: "a.gz"), contains: ["a.gz: damaged gzip stream", "truncated"])
        zipped[12] ^= 0xFF
        zipped[13] ^= 0xFF
        expectError(try IDXReader.decode(zipped, file: "b.gz"), contains: ["b.gz: damaged gzip stream"])
    }

    @Test("every truncation and many corruptions of a gzip IDX file throw a DataError instead of trapping")
    func neverTraps() throws {
        let plain = Fixtures.idx(type: 0x0B, shape: [3, 5], payload: (0..<30).map { UInt8($0 * 7 % 256) })
        let zipped = Gzip.compress(plain)
        for input in [plain, zipped] {
            for n in 0..<input.count {
                #expect(throws: DataError.self) { try IDXReader.decode(Array(input.prefix(n)), file: "cut") }
            }
        }
        let original = try IDXReader.decode(plain, file: "plain")
        var state: UInt64 = 99, rejected = 0
        for round in 0..<500 {
            let gzip = !round.isMultiple(of: 2)
            var damaged = gzip ? zipped : plain
            for _ in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                damaged[Int(state >> 33) % damaged.count] = UInt8(truncatingIfNeeded: state >> 13)
            }
            do throws(DataError) {
                let array = try IDXReader.decode(damaged, file: "fuzz")
                // What decodes is consistent; through gzip (CRC-32 and length checked) it is the original.
                #expect(array.shape.reduce(1, *) == array.elements.count, "round \(round): shape \(array.shape)")
                if gzip {
                    #expect(array.shape == original.shape && array.elements == original.elements,
                            "round \(round): a damaged gzip stream decoded to other data")
                }
            } catch {
                rejected += 1
                if !Self.isDecodingError(error) || !error.description.hasPrefix("fuzz: ") || error.description.contains("\n") {
                    Issue.record("round \(round): not a one-line decoding error naming the file: \(error)")
                }
            }
        }
        #expect(rejected >= 100, "only \(rejected) of 500 damaged files were rejected")
    }

    /// The errors decoding bytes can give (not `unreadable`, a CSV error or a bad argument).
    static func isDecodingError(_ error: DataError) -> Bool {
        switch error {
        case .badMagic, .unknownTypeCode, .truncatedHeader, .truncatedPayload, .trailingBytes, .dimensionsOverflow,
             .damagedGzip: true
        default: false
        }
    }

    @Test("unreadable files name the path")
    func missingFile() {
        expectError(try IDXReader.read(contentsOf: "/nonexistent/x.idx"), contains: ["/nonexistent/x.idx: cannot read file"])
    }
}

/// Asserts that `body` throws a `DataError` whose one-line message contains every fragment.
func expectError<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                    sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try body()
        Issue.record("expected an error containing \(fragments)", sourceLocation: sourceLocation)
    } catch let error as DataError {
        let message = error.description
        #expect(!message.contains("\n"), "message should be one line: \(message)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a DataError, got \(error)", sourceLocation: sourceLocation)
    }
}
