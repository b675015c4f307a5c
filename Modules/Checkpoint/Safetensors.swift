import Foundation
import NN
import TensorCore

/// A safetensors checkpoint: named tensors plus string metadata, in the format of
/// https://github.com/huggingface/safetensors, with PyTorch `state_dict` names so
/// `safetensors.torch.load_file` reads what Trainboard writes and vice versa.
///
/// Layout: an 8-byte little-endian header length `N`, `N` bytes of JSON header
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …,
/// "__metadata__": {"k": "v"}}`, then the data buffer; offsets are relative to
/// the buffer, data is little-endian and row-major.
///
/// ```swift
/// try SafetensorsFile.write(parameters: model.parameters, metadata: ["step": "1200"], to: url)
/// let file = try SafetensorsFile.read(from: url)
/// let values = try file.matching(parameters: model.parameters)   // every problem in one error
/// ```
///
/// Reading accepts F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL and converts
/// everything to Float32 (see ``SafetensorsDType``). Writing always stores F32.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted, as the reference (Rust) implementation: 100 MB.
    public static let maxHeaderSize = 100_000_000

    /// Where the file was read from (or the `path` given to ``decode(_:path:)``), for messages.
    public let path: String
    /// Tensor names in the order of their data in the file.
    public let names: [String]
    /// The tensors by name, converted to Float32.
    public let tensors: [String: Tensor]
    /// The element type each tensor had in the file.
    public let dtypes: [String: SafetensorsDType]
    /// The `__metadata__` strings (empty when the file has none).
    public let metadata: [String: String]

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? { tensors[name] }

    // MARK: Reading

    /// Reads and validates the file at `url`.
    ///
    /// The file is read with `pread(2)`, not memory-mapped: another process truncating it
    /// meanwhile gives ``SafetensorsError/shrankWhileReading(path:expected:found:)`` instead
    /// of a SIGBUS on a page past the new end. The header length is checked (against the
    /// file size and ``maxHeaderSize``) before the header is read, and the header and every
    /// entry before any tensor storage is allocated, so a corrupt or hostile file is rejected
    /// with a ``SafetensorsError`` and never traps. Tensor data goes through a buffer of at
    /// most 1 MiB into the tensors, so reading needs little memory beyond the tensors.
    /// - Throws: ``SafetensorsError``.
    public static func read(from url: URL) throws -> SafetensorsFile {
        try read(from: url, beforeReading: {})
    }

    /// ``read(from:)`` calling `beforeReading` once the file is open and its size known, just
    /// before its bytes are read (tests truncate the file there).
    static func read(from url: URL, beforeReading: () -> Void) throws -> SafetensorsFile {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SafetensorsError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError.cannotRead(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        beforeReading()
        guard size >= 8 else { throw SafetensorsError.fileTooShort(path: path, size: size) }
        /// Fills `buffer` from `offset`; the file ending first means it shrank since `fstat`.
        func read(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
            var done = 0
            while done < buffer.count {
                let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if n < 0, errno == EINTR { continue }
                if n < 0 { throw SafetensorsError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
                if n == 0 { throw SafetensorsError.shrankWhileReading(path: path, expected: size, found: offset + done) }
                done += n
            }
        }
        var length: UInt64 = 0
        try withUnsafeMutableBytes(of: &length) { try read($0, at: 0) }
        let claimed = UInt64(littleEndian: length)
        try checkHeaderLength(claimed, fileSize: size, path: path)
        let headerEnd = 8 + Int(claimed)
        var headerBytes = [UInt8](repeating: 0, count: Int(claimed))
        try headerBytes.withUnsafeMutableBytes { try read($0, at: 8) }
        let header = try headerBytes.withUnsafeBytes {
            try SafetensorsHeader.parse($0, bufferSize: size - headerEnd, path: path)
        }
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, header.entries.map { $0.end - $0.begin }.max() ?? 0))
        var tensors: [String: Tensor] = [:]
        var dtypes: [String: SafetensorsDType] = [:]
        tensors.reserveCapacity(header.entries.count)
        for entry in header.entries {
            let width = entry.dtype.byteSize, perChunk = max(1, chunk.count / entry.dtype.byteSize)
            tensors[entry.name] = try Tensor.build(shape: entry.shape) { values in
                var next = 0
                while next < values.count {
                    let n = min(perChunk, values.count - next)
                    try chunk.withUnsafeMutableBytes { bytes in
                        let part = UnsafeMutableRawBufferPointer(rebasing: bytes[..<(n * width)])
                        try read(part, at: headerEnd + entry.begin + next * width)
                        entry.dtype.convert(UnsafeRawBufferPointer(part),
                                            into: UnsafeMutableBufferPointer(rebasing: values[next..<(next + n)]))
                    }
                    next += n
                }
            }
            dtypes[entry.name] = entry.dtype
        }
        return SafetensorsFile(
            path: path, names: header.entries.map(\.name), tensors: tensors, dtypes: dtypes, metadata: header.metadata)
    }

    /// The header length must fit in the file after the 8-byte length field, and within ``maxHeaderSize``.
    private static func checkHeaderLength(_ claimed: UInt64, fileSize: Int, path: String) throws {
        let available = fileSize - 8
        guard claimed <= UInt64(available) else {
            throw SafetensorsError.headerExceedsFile(path: path, claimed: claimed, available: available)
        }
        guard claimed <= UInt64(maxHeaderSize) else {
            throw SafetensorsError.headerTooLarge(path: path, claimed: claimed, limit: maxHeaderSize)
        }
    }

    /// Parses safetensors bytes already in memory; `path` only labels errors.
    /// - Throws: ``SafetensorsError``.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> SafetensorsFile {
        try data.withUnsafeBytes { try decode($0, path: path) }
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, path: String) throws -> SafetensorsFile {
        guard raw.count >= 8 else { throw SafetensorsError.fileTooShort(path: path, size: raw.count) }
        let claimed = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        try checkHeaderLength(claimed, fileSize: raw.count, path: path)
        let headerEnd = 8 + Int(claimed)
        let header = try SafetensorsHeader.parse(
            UnsafeRawBufferPointer(rebasing: raw[8 ..< headerEnd]),
            bufferSize: raw.count - headerEnd, path: path)
        let buffer = UnsafeRawBufferPointer(rebasing: raw[headerEnd...])

        var tensors: [String: Tensor] = [:]
        var dtypes: [String: SafetensorsDType] = [:]
        tensors.reserveCapacity(header.entries.count)
        for entry in header.entries {
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[entry.begin ..< entry.end])
            tensors[entry.name] = Tensor.build(shape: entry.shape) { entry.dtype.convert(bytes, into: $0) }
            dtypes[entry.name] = entry.dtype
        }
        return SafetensorsFile(
            path: path, names: header.entries.map(\.name), tensors: tensors, dtypes: dtypes,
            metadata: header.metadata)
    }

    // MARK: Writing

    /// Atomically writes `tensors` as F32 with `metadata` to `url`
    /// (see ``AtomicFile``: the previous file survives any failure).
    ///
    /// Entries are laid out sorted by name (byte order), whatever the order
    /// given; the header is padded with spaces to a multiple of 8 bytes, as the
    /// Python library does.
    /// - Throws: ``SafetensorsError/invalidTensorName(path:name:reason:)`` for a
    ///   duplicate name or `__metadata__`; ``SafetensorsError/writeFailed(_:)``
    ///   when the file system fails.
    public static func write(
        tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL
    ) throws {
        try write(tensors: tensors, metadata: metadata, to: url, diskCapacity: nil)
    }

    /// ``write(tensors:metadata:to:)`` on a simulated disk of `diskCapacity` bytes (for tests).
    static func write(
        tensors: [(name: String, tensor: Tensor)], metadata: [String: String], to url: URL, diskCapacity: Int?
    ) throws {
        let path = url.path
        var seen = Set<String>()
        for (name, _) in tensors {
            if name == "__metadata__" {
                throw SafetensorsError.invalidTensorName(path: path, name: name, reason: "reserved for the metadata")
            }
            guard seen.insert(name).inserted else {
                throw SafetensorsError.invalidTensorName(path: path, name: name, reason: "given more than once")
            }
        }
        let sorted = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let header = encodeHeader(sorted, metadata: metadata)
        do {
            try AtomicFile.write(to: url, capacity: diskCapacity) { file in
                var length = UInt64(header.count).littleEndian
                try withUnsafeBytes(of: &length) { try file.write($0) }
                try file.write(header)
                for (_, tensor) in sorted {
                    #if _endian(little)
                    try tensor.withUnsafeBufferPointer { try file.write(UnsafeRawBufferPointer($0)) }
                    #else
                    try file.write(tensor.scalars.flatMap { value in
                        withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
                    })
                    #endif
                }
            }
        } catch let error as AtomicFileError {
            throw SafetensorsError.writeFailed(error)
        }
    }

    /// Atomically writes a name → tensor dictionary (laid out sorted by name).
    public static func write(tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        try write(tensors: tensors.map { (name: $0.key, tensor: $0.value) }, metadata: metadata, to: url)
    }

    /// Atomically writes a model's parameters under their `state_dict` names.
    public static func write(parameters: [Parameter], metadata: [String: String] = [:], to url: URL) throws {
        try write(tensors: parameters.map { (name: $0.name, tensor: $0.value) }, metadata: metadata, to: url)
    }

    /// The JSON header for `sorted` (already in data order), space-padded to a multiple of 8.
    static func encodeHeader(_ sorted: [(name: String, tensor: Tensor)], metadata: [String: String]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in sorted {
            let end = offset + tensor.count * MemoryLayout<Float>.size
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array("{\(fields.joined(separator: ","))}".utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    // MARK: Matching a model

    /// The dtypes a floating-point model parameter may be read from (converted
    /// to Float32); integer and boolean tensors are not parameters.
    public static let parameterDTypes: [SafetensorsDType] = [.f32, .f64, .f16, .bf16]

    /// The tensors for a model whose parameters have these names and shapes.
    ///
    /// Used by `resume`, `eval` and `model.init_from`: every expected name must be
    /// in the file with the same shape and a dtype in `dtypes`, and the file must
    /// hold nothing else.
    /// - Throws: ``SafetensorsError/modelMismatch(path:missing:unexpected:shapeMismatches:dtypeMismatches:)``
    ///   listing all missing names, all unexpected names, all shape and all dtype mismatches at once.
    public func matching(expected: [(name: String, shape: [Int])],
                         dtypes: [SafetensorsDType] = parameterDTypes) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        var missing: [String] = []
        var mismatches: [ShapeMismatch] = []
        var dtypeMismatches: [DTypeMismatch] = []
        for (name, shape) in expected {
            guard let tensor = tensors[name] else {
                missing.append(name)
                continue
            }
            var matches = true
            if let dtype = self.dtypes[name], !dtypes.contains(dtype) {
                dtypeMismatches.append(DTypeMismatch(name: name, expected: dtypes, found: dtype))
                matches = false
            }
            if tensor.shape != shape {
                mismatches.append(ShapeMismatch(name: name, expected: shape, found: tensor.shape))
                matches = false
            }
            if matches { result[name] = tensor }
        }
        let expectedNames = Set(expected.map(\.name))
        let unexpected = names.filter { !expectedNames.contains($0) }
        guard missing.isEmpty, unexpected.isEmpty, mismatches.isEmpty, dtypeMismatches.isEmpty else {
            throw SafetensorsError.modelMismatch(
                path: path, missing: missing, unexpected: unexpected, shapeMismatches: mismatches,
                dtypeMismatches: dtypeMismatches)
        }
        return result
    }

    /// ``matching(expected:dtypes:)`` for a model's parameters (names and current shapes).
    public func matching(parameters: [Parameter]) throws -> [String: Tensor] {
        try matching(expected: parameters.map { (name: $0.name, shape: $0.value.shape) })
    }
}

/// `s` as a JSON string literal (also how error messages quote tensor names,
/// so odd names stay on one line).
func jsonString(_ s: String) -> String {
    // Escapes over UTF-8 bytes: only ASCII bytes (quote, backslash, controls) are escaped, and a
    // multi-byte sequence never contains one, so every other byte is copied as is.
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 2)
    out.append(UInt8(ascii: "\""))
    func escaped(_ letter: Unicode.Scalar) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: letter))
    }
    for byte in s.utf8 {
        switch byte {
        case UInt8(ascii: "\""): escaped("\"")
        case UInt8(ascii: "\\"): escaped("\\")
        case UInt8(ascii: "\n"): escaped("n")
        case UInt8(ascii: "\r"): escaped("r")
        case UInt8(ascii: "\t"): escaped("t")
        case 0..<0x20:
            let hex = String(byte, radix: 16)
            out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        default: out.append(byte)
        }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
}
