#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes `batch_end` lines, most of a run's file, without a general JSON pass: one walk over
/// the bytes of a flat object with the known keys, in any order. Anything unusual (another
/// type, an unknown or repeated key, escapes, nesting, a number JSON or `Int` would not take)
/// gives nil, and ``EventCodec`` decodes the line with `JSONDecoder` instead, so the result is
/// always the same as the general path's (tested on the fixtures and random lines).
enum BatchEndScanner {
    /// The keys of a `batch_end` object, one bit each.
    private enum Key: Int, CaseIterable {
        case allreduceMs, avgLoss, batch, elapsed, epoch, gradNorm, loss, lr, samplesPerSec, step, type

        var name: StaticString {
            switch self {
            case .allreduceMs: "allreduce_ms"
            case .avgLoss: "avg_loss"
            case .batch: "batch"
            case .elapsed: "elapsed"
            case .epoch: "epoch"
            case .gradNorm: "grad_norm"
            case .loss: "loss"
            case .lr: "lr"
            case .samplesPerSec: "samples_per_sec"
            case .step: "step"
            case .type: "type"
            }
        }
    }

    /// Every key but `grad_norm` and `allreduce_ms` (optional) must be there.
    private static let required = Key.allCases.filter { $0 != .gradNorm && $0 != .allreduceMs }.reduce(0) { $0 | 1 << $1.rawValue }

    /// The event of one line without surrounding whitespace, or nil (see the type's notes).
    static func scan(_ line: UnsafeBufferPointer<UInt8>) -> BatchEnd? {
        var cursor = ByteCursor(line)
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var seen = 0
        var event = BatchEnd(epoch: 0, step: 0, batch: 0, loss: 0, avgLoss: 0, lr: 0, samplesPerSec: 0, elapsed: 0)
        repeat {
            cursor.skipSpace()
            guard let key = cursor.key(), seen & (1 << key.rawValue) == 0 else { return nil }
            seen |= 1 << key.rawValue
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return nil }
            cursor.skipSpace()
            switch key {
            case .type: guard cursor.literal("\"batch_end\"") else { return nil }
            case .epoch: guard let value = cursor.integer() else { return nil }; event.epoch = value
            case .step: guard let value = cursor.integer() else { return nil }; event.step = value
            case .batch: guard let value = cursor.integer() else { return nil }; event.batch = value
            case .loss: guard let value = cursor.double() else { return nil }; event.loss = value
            case .avgLoss: guard let value = cursor.double() else { return nil }; event.avgLoss = value
            case .lr: guard let value = cursor.double() else { return nil }; event.lr = value
            case .samplesPerSec: guard let value = cursor.double() else { return nil }; event.samplesPerSec = value
            case .elapsed: guard let value = cursor.double() else { return nil }; event.elapsed = value
            case .gradNorm: guard let value = cursor.optionalDouble() else { return nil }; event.gradNorm = value
            case .allreduceMs: guard let value = cursor.optionalDouble() else { return nil }; event.allreduceMs = value
            }
            cursor.skipSpace()
        } while cursor.take(UInt8(ascii: ","))
        guard cursor.take(UInt8(ascii: "}")), cursor.atEnd, seen & required == required else { return nil }
        return event
    }

    /// The key named `name`, nil for any other: picked by length and first byte, then compared.
    private static func match(_ name: UnsafeBufferPointer<UInt8>) -> Key? {
        guard let first = name.first else { return nil }
        let key: Key
        switch (name.count, first) {
        case (12, UInt8(ascii: "a")): key = .allreduceMs
        case (8, UInt8(ascii: "a")): key = .avgLoss
        case (5, UInt8(ascii: "b")): key = .batch
        case (7, UInt8(ascii: "e")): key = .elapsed
        case (5, UInt8(ascii: "e")): key = .epoch
        case (9, UInt8(ascii: "g")): key = .gradNorm
        case (4, UInt8(ascii: "l")): key = .loss
        case (2, UInt8(ascii: "l")): key = .lr
        case (15, UInt8(ascii: "s")): key = .samplesPerSec
        case (4, UInt8(ascii: "s")): key = .step
        case (4, UInt8(ascii: "t")): key = .type
        default: return nil
        }
        return equal(key.name, name.baseAddress!) ? key : nil
    }

    /// Whether the bytes at `bytes` start with `text` (short: a loop beats a call to memcmp).
    private static func equal(_ text: StaticString, _ bytes: UnsafePointer<UInt8>) -> Bool {
        let expected = text.utf8Start
        for offset in 0..<text.utf8CodeUnitCount where expected[offset] != bytes[offset] { return false }
        return true
    }

    /// A position in a line's bytes with the few JSON tokens a `batch_end` line holds.
    private struct ByteCursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            position += 1
            return true
        }

        /// Consumes `text` if the bytes at the cursor are exactly it.
        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - position >= count, BatchEndScanner.equal(text, bytes.baseAddress! + position) else { return false }
            position += count
            return true
        }

        /// A quoted key without escapes.
        mutating func key() -> Key? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { position += 1 }
            guard current == UInt8(ascii: "\"") else { return nil }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<position])
            position += 1
            return BatchEndScanner.match(name)
        }

        /// A JSON integer of at most 18 digits.
        mutating func integer() -> Int? {
            let negative = take(UInt8(ascii: "-"))
            let start = position
            var value = 0
            while let byte = current, byte &- 0x30 < 10 {
                value = value &* 10 &+ Int(byte &- 0x30)
                position += 1
            }
            let digits = position - start
            guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            return negative ? -value : value
        }

        /// `null` as `.some(nil)`, else ``double()`` wrapped: nil when neither.
        mutating func optionalDouble() -> Double?? {
            if literal("null") { return .some(nil) }
            return double().map { .some($0) }
        }

        /// A JSON number, or the strings `"nan"`, `"inf"`, `"-inf"`; nil if not finite as a number.
        mutating func double() -> Double? {
            if current == UInt8(ascii: "\"") {
                if literal("\"nan\"") { return .nan }
                if literal("\"inf\"") { return .infinity }
                if literal("\"-inf\"") { return -.infinity }
                return nil
            }
            let start = position
            let negative = take(UInt8(ascii: "-"))
            var mantissa: UInt64 = 0, significant = 0, exponent = 0
            let integerStart = position
            while let byte = current, byte &- 0x30 < 10 {
                if significant < 19 { mantissa = mantissa * 10 + UInt64(byte &- 0x30) } else { exponent += 1 }
                if mantissa > 0 { significant += 1 }
                position += 1
            }
            let integerDigits = position - integerStart
            guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
            if take(UInt8(ascii: ".")) {
                let fractionStart = position
                while let byte = current, byte &- 0x30 < 10 {
                    if significant < 19 {
                        mantissa = mantissa * 10 + UInt64(byte &- 0x30)
                        exponent -= 1
                    }
                    if mantissa > 0 { significant += 1 }
                    position += 1
                }
                guard position > fractionStart else { return nil }
            }
            if let byte = current, byte | 0x20 == UInt8(ascii: "e") {
                position += 1
                let negativeExponent = take(UInt8(ascii: "-"))
                if !negativeExponent { _ = take(UInt8(ascii: "+")) }
                let digitsStart = position
                var value = 0
                while let byte = current, byte &- 0x30 < 10 {
                    if value < 100_000 { value = value * 10 + Int(byte &- 0x30) }
                    position += 1
                }
                guard position > digitsStart else { return nil }
                exponent += negativeExponent ? -value : value
            }
            // Exact operands and one correctly rounded operation (Clinger's fast path); else strtod.
            var result: Double
            if significant <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
                result = exponent < 0 ? Double(mantissa) / Self.powersOfTen[-exponent] : Double(mantissa) * Self.powersOfTen[exponent]
                if negative { result = -result }
            } else {
                result = Self.parseLong(bytes.baseAddress! + start, count: position - start)
            }
            // Overflow, underflow and subnormals: left to the decoder, whatever it makes of them.
            guard result.isFinite, result == 0 ? mantissa == 0 : abs(result) >= .leastNormalMagnitude else { return nil }
            return result
        }

        /// The correctly rounded value of the JSON number in the `count` bytes at `text` (checked
        /// already): C's `strtod` on a NUL-terminated stack copy, so no `String` is made per
        /// number. If the process's locale has another decimal point, `strtod` stops short of the
        /// end and Swift's parser (locale-free) is used instead.
        private static func parseLong(_ text: UnsafePointer<UInt8>, count: Int) -> Double {
            let parsed: Double? = count < 64 ? withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
                let base = buffer.baseAddress!
                UnsafeMutableRawPointer(base).copyMemory(from: text, byteCount: count)
                base[count] = 0
                var end: UnsafeMutablePointer<CChar>?
                let value = strtod(base, &end)
                return end == base + count ? value : nil
            } : nil
            return parsed ?? Double(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)) ?? .nan
        }

        /// Exact powers of ten (a literal, so no lazy initialisation on the hot path).
        private static let powersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
    }
}
