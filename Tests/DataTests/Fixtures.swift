import Foundation
@testable import Data

/// Test fixtures written to a fresh temporary directory.
struct Fixtures {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("DataTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` and returns the path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Foundation.Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` (UTF-8) to `name` and returns the path.
    @discardableResult
    func write(_ name: String, text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// The bytes of an IDX file: magic, type code, big-endian dims, then `payload` as given.
    static func idx(type: UInt8, shape: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for d in shape { bytes += bigEndian(UInt32(d)) }
        return bytes + payload
    }

    /// A u8 IDX file of `shape` holding `values`.
    static func idx(uint8 values: [UInt8], shape: [Int]) -> [UInt8] { idx(type: 0x08, shape: shape, payload: values) }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
