import Foundation
import Testing
import TensorCore
@testable import Checkpoint
import NN

/// A fresh empty directory under the system temp dir.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("trainboard-st-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Safetensors bytes from a header text and a data buffer; the length field is
/// the header's byte count unless `claimedLength` overrides it.
func safetensorsBytes(header: String, buffer: [UInt8] = [], claimedLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    return safetensorsBytes(rawHeader: json, buffer: buffer, claimedLength: claimedLength)
}

func safetensorsBytes(rawHeader: [UInt8], buffer: [UInt8] = [], claimedLength: UInt64? = nil) -> Data {
    var data = Data()
    var length = (claimedLength ?? UInt64(rawHeader.count)).littleEndian
    withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
    data.append(contentsOf: rawHeader)
    data.append(contentsOf: buffer)
    return data
}

/// Little-endian bytes of fixed-width integers.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

@Suite("Safetensors format")
struct SafetensorsTests {
    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let weight = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.25 - 1 })
        let bias = Tensor([0.5, -0.125, .greatestFiniteMagnitude])
        let scalar = Tensor(7)
        let empty = Tensor(shape: [0, 3], scalars: [])
        try SafetensorsFile.write(
            tensors: [(name: "2.weight", tensor: weight), (name: "0.bias", tensor: bias),
                      (name: "step", tensor: scalar), (name: "empty", tensor: empty)],
            metadata: ["format": "pt", "note": "quote \" backslash \\ newline \n é"], to: url)

        let file = try SafetensorsFile.read(from: url)
        #expect(file.names == ["0.bias", "2.weight", "empty", "step"])
        #expect(file["2.weight"] == weight)
        #expect(file["0.bias"] == bias)
        #expect(file["step"] == scalar)
        #expect(file["empty"]?.shape == [0, 3])
        #expect(file.metadata == ["format": "pt", "note": "quote \" backslash \\ newline \n é"])
        #expect(file.dtypes.values.allSatisfy { $0 == .f32 })
        #expect(file.path == url.path)
    }

    @Test func dictionaryAndParameterWritersAgree() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededGenerator(seed: 3)
        let model = Sequential([Linear(4, 3, rng: &rng), Activation(.relu), Linear(3, 2, rng: &rng)])
        let a = dir.appendingPathComponent("a.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        try SafetensorsFile.write(parameters: model.parameters, to: a)
        try SafetensorsFile.write(
            tensors: Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value) }), to: b)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        let file = try SafetensorsFile.read(from: a)
        #expect(file.names == ["0.bias", "0.weight", "2.bias", "2.weight"])
        #expect(file["0.weight"]?.shape == [3, 4])
        #expect(file.metadata.isEmpty)
    }

    @Test func headerIsCompactSortedAndSpacePaddedToEightBytes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("p.safetensors")
        try SafetensorsFile.write(
            tensors: ["b": Tensor([1, 2]), "a": Tensor(shape: [1, 1], scalars: [3])], metadata: ["k": "v"], to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 12)
        let header = String(decoding: bytes[8 ..< 8 + length], as: UTF8.self)
        let expected = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(header.hasPrefix(expected))
        #expect(header.dropFirst(expected.utf8.count).allSatisfy { $0 == " " })
        #expect(expected.utf8.count % 8 != 0, "the padding is exercised")
        // a: 3.0, then b: 1.0, 2.0 as little-endian F32
        #expect(Array(bytes[(8 + length)...]) == littleEndianBytes([Float(3), 1, 2].map(\.bitPattern)))
    }

    @Test func oddNamesAreEscapedInTheHeader() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("names.safetensors")
        let names = ["a\"b", "back\\slash", "tab\tnew\nline", "ctl\u{01}", "ünï"]
        try SafetensorsFile.write(tensors: names.map { (name: $0, tensor: Tensor([1])) }, to: url)
        #expect(Set(try SafetensorsFile.read(from: url).names) == Set(names))
    }

    @Test func unpaddedHeadersFromOtherWritersAreRead() throws {
        let data = safetensorsBytes(
            header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
            buffer: littleEndianBytes([Float(2.5).bitPattern]))
        #expect(try SafetensorsFile.decode(data)["x"] == Tensor([2.5]))
    }

    @Test func convertsOtherDtypesToFloat32() throws {
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000, 0x3555]
        let bf16: [UInt16] = [0x3F80, 0xC040, 0x0000, 0x4049]
        let f64: [UInt64] = [0.5, -1e10, 1.0 / 3.0].map { (x: Double) in x.bitPattern }
        let i64: [Int64] = [-5, 1 << 40]
        let i32: [Int32] = [-7, 100_000]
        let i16: [Int16] = [-300]
        var buffer = littleEndianBytes(f16) + littleEndianBytes(bf16) + littleEndianBytes(f64)
        buffer += littleEndianBytes(i64) + littleEndianBytes(i32) + littleEndianBytes(i16)
        buffer += [0xFF, 0x80] + [200] + [0, 1, 2]   // I8 -1 -128, U8 200, BOOL false true true
        let header = """
        {"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]},\
        "bf":{"dtype":"BF16","shape":[2,2],"data_offsets":[14,22]},\
        "d":{"dtype":"F64","shape":[3],"data_offsets":[22,46]},\
        "l":{"dtype":"I64","shape":[2],"data_offsets":[46,62]},\
        "i":{"dtype":"I32","shape":[2],"data_offsets":[62,70]},\
        "s":{"dtype":"I16","shape":[],"data_offsets":[70,72]},\
        "b":{"dtype":"I8","shape":[2],"data_offsets":[72,74]},\
        "u":{"dtype":"U8","shape":[1],"data_offsets":[74,75]},\
        "t":{"dtype":"BOOL","shape":[3],"data_offsets":[75,78]}}
        """
        let file = try SafetensorsFile.decode(safetensorsBytes(header: header, buffer: buffer))
        let h = try #require(file["h"]).scalars
        #expect(Array(h[0..<4]) == [1.0, -2.0, 65504, 0x1p-24])
        #expect(h[4] == .infinity && h[5] == 0 && h[5].sign == .minus)
        #expect(abs(h[6] - 1.0 / 3.0) < 1e-3)
        #expect(file["bf"] == Tensor(shape: [2, 2], scalars: [1.0, -3.0, 0.0, 3.140625]))
        #expect(file["d"] == Tensor([0.5, -1e10, Float(1.0 / 3.0)]))
        #expect(file["l"] == Tensor([-5, 0x1p40]))
        #expect(file["i"] == Tensor([-7, 100_000]))
        #expect(file["s"] == Tensor(-300))
        #expect(file["b"] == Tensor([-1, -128]))
        #expect(file["u"] == Tensor([200]))
        #expect(file["t"] == Tensor([0, 1, 1]))
        #expect(file.dtypes["h"] == .f16 && file.dtypes["bf"] == .bf16 && file.dtypes["d"] == .f64)
        #expect(file.names == ["h", "bf", "d", "l", "i", "s", "b", "u", "t"])
    }

    @Test func writerRejectsReservedAndDuplicateNames() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.safetensors")
        #expect(throws: SafetensorsError.invalidTensorName(path: url.path, name: "__metadata__", reason: "reserved for the metadata")) {
            try SafetensorsFile.write(tensors: [(name: "__metadata__", tensor: Tensor([1]))], to: url)
        }
        let error = try #require(throws: SafetensorsError.self) {
            try SafetensorsFile.write(tensors: [(name: "w", tensor: Tensor([1])), (name: "w", tensor: Tensor([2]))], to: url)
        }
        #expect(error.description.contains("\"w\"") && error.description.contains("more than once"))
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}

/// One malformed file and the words its error must contain.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let label: String
    let data: Data
    let expected: [String]
    let check: @Sendable (SafetensorsError) -> Bool

    var testDescription: String { label }

    static func entry(_ label: String, _ header: String, buffer: Int = 4, _ expected: [String],
                      _ check: @escaping @Sendable (SafetensorsError) -> Bool) -> MalformedCase {
        MalformedCase(label: label, data: safetensorsBytes(header: header, buffer: Array(repeating: 0, count: buffer)),
                      expected: expected, check: check)
    }

    static let all: [MalformedCase] = [
        MalformedCase(label: "shorter than 8 bytes", data: Data([1, 2, 3, 4, 5]), expected: ["5 bytes", "at least 8"]) {
            if case .fileTooShort(_, 5) = $0 { true } else { false }
        },
        MalformedCase(label: "header longer than file",
                      data: safetensorsBytes(header: "{}", claimedLength: 1000),
                      expected: ["header length 1000", "exceeds the 2 bytes"]) {
            if case .headerExceedsFile(_, 1000, 2) = $0 { true } else { false }
        },
        MalformedCase(label: "header not UTF-8", data: safetensorsBytes(rawHeader: [0x7B, 0xFF, 0xFE, 0x7D]),
                      expected: ["invalid header", "UTF-8"]) {
            if case .invalidHeader = $0 { true } else { false }
        },
        entry("header not JSON", #"{"a": {"dtype": "F32",,"#, ["invalid header: not valid JSON"]) {
            if case .invalidHeader = $0 { true } else { false }
        },
        entry("header not an object", "[1, 2, 3]", ["invalid header", "not a JSON object"]) {
            if case .invalidHeader = $0 { true } else { false }
        },
        entry("entry not an object", #"{"w": 5}"#, ["tensor \"w\": not an object with dtype, shape and data_offsets"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("missing dtype", #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, ["tensor \"w\"", "missing \"dtype\""]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("missing shape", #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, ["tensor \"w\"", "missing \"shape\""]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("missing data_offsets", #"{"w":{"dtype":"F32","shape":[1]}}"#, ["missing \"data_offsets\""]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("unknown dtype", #"{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "unsupported dtype \"F8_E4M3\"", "F32, F16, BF16"]) {
            if case .unsupportedDType(_, "w", "F8_E4M3") = $0 { true } else { false }
        },
        entry("negative dimension", #"{"w":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "negative dimension -1 in shape [-1, 2]"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("non-integer dimension", #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "shape[0]"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("string dimension", #"{"w":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "shape[0]"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("three offsets", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#,
              ["data_offsets must be [begin, end], found 3 values"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("size mismatch", #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "shape [2] of F32 needs 8 bytes", "data_offsets [0, 4] hold 4"]) {
            if case .sizeMismatch(_, "w", [2], "F32", 8, 0, 4) = $0 { true } else { false }
        },
        entry("end past the buffer", #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
              ["data_offsets [0, 8] out of the 4-byte data buffer"]) {
            if case .offsetsOutOfBounds(_, "w", 0, 8, 4) = $0 { true } else { false }
        },
        entry("end before begin", #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#,
              ["data_offsets [4, 0] end before begin"]) {
            if case .offsetsOutOfBounds(_, "w", 4, 0, 4) = $0 { true } else { false }
        },
        entry("negative offset", #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#,
              ["data_offsets [-4, 0] out of"]) {
            if case .offsetsOutOfBounds = $0 { true } else { false }
        },
        entry("overlap", #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
              buffer: 12, ["tensor \"b\"", "starts at 4", "overlapping tensor \"a\"", "ends at 8"]) {
            if case .overlappingData(_, "b", 4, "a", 8) = $0 { true } else { false }
        },
        entry("hole", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#,
              buffer: 12, ["tensor \"b\"", "starts at 8, expected 4", "hole of 4 bytes"]) {
            if case .gapInData(_, "b", 8, 4) = $0 { true } else { false }
        },
        entry("trailing bytes", #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, buffer: 8,
              ["cover 4 bytes of the 8-byte data buffer", "4 trailing bytes"]) {
            if case .incompleteBuffer(_, 4, 8) = $0 { true } else { false }
        },
        entry("element count overflow", #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "too many elements"]) {
            if case .elementCountOverflow(_, "w", _) = $0 { true } else { false }
        },
        entry("byte size overflow", #"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "too many elements"]) {
            if case .elementCountOverflow(_, "w", _) = $0 { true } else { false }
        },
        entry("dimension beyond Int", #"{"w":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,4]}}"#,
              ["tensor \"w\"", "shape[0]"]) {
            if case .invalidEntry(_, "w", _) = $0 { true } else { false }
        },
        entry("metadata value not a string", #"{"__metadata__":{"epoch":3},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
              ["invalid __metadata__", "epoch", "values must be strings"]) {
            if case .invalidMetadata = $0 { true } else { false }
        },
    ]
}

@Suite("Safetensors malformed files")
struct SafetensorsMalformedTests {
    @Test(arguments: MalformedCase.all)
    func malformedFileIsRejectedWithAClearMessage(_ testCase: MalformedCase) throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("broken.safetensors")
        try testCase.data.write(to: url)
        let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
        #expect(testCase.check(error), "unexpected case: \(error)")
        let message = error.description
        #expect(message.hasPrefix(url.path + ": "), "names the file: \(message)")
        #expect(!message.contains("\n"), "one line: \(message)")
        for words in testCase.expected {
            #expect(message.contains(words), "\(message) should contain \(words)")
        }
    }

    /// A 64 MiB file (sparse) whose length field claims 100 GB is rejected from its size and
    /// first 8 bytes: the work is bounded by bytes read and pages touched, not by a clock.
    @Test func hundredGigabyteHeaderClaimIsRejectedAtOnce() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("huge.safetensors")
        try safetensorsBytes(header: "{}", claimedLength: 100_000_000_000).write(to: url)
        let size: UInt64 = 64 << 20
        let handle = try FileHandle(forWritingTo: url)   // sparse: nothing more is written
        try handle.truncate(atOffset: size)
        try handle.close()
        let before = ThreadWork.now()
        #expect(before.pages > 0 && before.bytesRead > 0, "the thread's counters must be readable")
        let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
        let work = ThreadWork.now() - before
        #expect(work.bytes <= 1 << 20, "read \(work.bytesRead) bytes and touched \(work.pages) pages of a \(size)-byte file")
        #expect(error == .headerExceedsFile(path: url.path, claimed: 100_000_000_000, available: Int(size) - 8))
        #expect(error.description.contains("header length 100000000000 bytes exceeds the \(size - 8) bytes"))
    }

    @Test func headerAboveTheCapIsRejectedEvenWhenTheFileIsThatLarge() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("sparse.safetensors")
        let claimed = UInt64(SafetensorsFile.maxHeaderSize + 1)
        try safetensorsBytes(header: "{", claimedLength: claimed).write(to: url)
        let handle = try FileHandle(forWritingTo: url)   // sparse: nothing is written
        try handle.truncate(atOffset: claimed + 64)
        try handle.close()
        let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
        #expect(error == .headerTooLarge(path: url.path, claimed: claimed, limit: 100_000_000))
        #expect(error.description.contains("exceeds the limit of 100000000 bytes"))
    }

    @Test func missingFileAndDirectoryAreReported() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.safetensors")
        let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile.read(from: missing) }
        #expect(error.description == "\(missing.path): cannot read: No such file or directory")
        let notFile = try #require(throws: SafetensorsError.self) { try SafetensorsFile.read(from: dir) }
        #expect(notFile.description.contains("not a regular file"))
    }

    @Test func emptyFileIsTooShort() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("empty.safetensors")
        try Data().write(to: url)
        #expect(throws: SafetensorsError.fileTooShort(path: url.path, size: 0)) { try SafetensorsFile.read(from: url) }
    }
}

/// The I/O work of the calling thread so far: bytes its `read` calls returned
/// (`/proc/thread-self/io`, `rchar`) and the pages it faulted in (`/proc/thread-self/stat`,
/// minor and major faults: what touching a memory-mapped file costs).
struct ThreadWork {
    var bytesRead: Int
    var pages: Int

    /// Bytes read plus the bytes of the pages touched.
    var bytes: Int { bytesRead + pages * Int(sysconf(Int32(_SC_PAGESIZE))) }

    static func now() -> ThreadWork {
        let io = (try? String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)) ?? ""
        let rchar = io.split(separator: "\n").first { $0.hasPrefix("rchar:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        // Fields after the command name's closing parenthesis: state is field 3, minflt 10, majflt 12.
        let stat = (try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ").map(String.init) ?? []
        let faults = fields.count > 9 ? (Int(fields[7]) ?? 0) + (Int(fields[9]) ?? 0) : 0
        return ThreadWork(bytesRead: rchar, pages: faults)
    }

    static func - (a: ThreadWork, b: ThreadWork) -> ThreadWork {
        ThreadWork(bytesRead: a.bytesRead - b.bytesRead, pages: a.pages - b.pages)
    }
}
