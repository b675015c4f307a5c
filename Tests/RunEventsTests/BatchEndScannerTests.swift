import Foundation
import Testing
@testable import RunEvents

@Suite("batch_end scanner: the same events as JSONDecoder")
struct BatchEndScannerTests {
    let codec = EventCodec()

    /// Lines compared through their encoding, so that NaN equals NaN.
    func key(_ line: EventCodec.Line) -> String {
        switch line {
        case .event(let event): (try? codec.line(for: event)) ?? "unencodable"
        case .blank: "blank"
        case .malformed(let reason): "malformed: \(reason)"
        }
    }

    func scanned(_ text: String) -> BatchEnd? {
        var text = text
        return text.withUTF8 { BatchEndScanner.scan($0) }
    }

    static func fixture(_ name: String) throws -> [Substring] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/events/\(name).jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test(arguments: ["multiclass", "binary"])
    func fixturesParseAsWithTheDecoder(name: String) throws {
        var fast = 0
        for line in try Self.fixture(name) {
            let same = key(codec.parse(line)) == key(codec.parseWithDecoder(line))
            if !same { try? Data(line.utf8).write(to: URL(fileURLWithPath: "/tmp/tb-mismatch.txt")) }
            #expect(same, "\(line)")
            if line.contains("\"batch_end\"") {
                #expect(scanned(String(line)) != nil, "the scanner should take \(line)")
                fast += 1
            }
        }
        #expect(fast > 50)
    }

    /// A random number as a writer might print it: Python's 6 decimals, Swift's shortest
    /// form, an exponent, an integer, or a non-finite string.
    static func number(_ rng: inout SystemRandomNumberGenerator) -> String {
        let magnitude = pow(10, Double.random(in: -12...12, using: &rng))
        let value = Double.random(in: -1...1, using: &rng) * magnitude
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return String(format: "%.6f", value)
        case 1: return "\(Int.random(in: -100_000...100_000, using: &rng))"
        case 2: return String(format: "%.17g", value)
        case 3: return String(format: "%.3e", value)
        case 4: return ["\"nan\"", "\"inf\"", "\"-inf\""].randomElement(using: &rng)!
        case 5: return "\(Double(bitPattern: UInt64.random(in: 0x3000_0000_0000_0000...0x4700_0000_0000_0000, using: &rng)))"
        default: return "\(value)"
        }
    }

    static func randomLine(_ rng: inout SystemRandomNumberGenerator) -> String {
        var fields = [("type", "\"batch_end\""), ("epoch", "\(Int.random(in: 0...1000, using: &rng))"),
                      ("step", "\(Int.random(in: 0...10_000_000, using: &rng))"), ("batch", "\(Int.random(in: 0...99_999, using: &rng))")]
        for name in ["loss", "avg_loss", "lr", "samples_per_sec", "elapsed"] { fields.append((name, number(&rng))) }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: fields.append(("grad_norm", number(&rng)))
        case 1: fields.append(("grad_norm", "null"))
        default: break
        }
        if Bool.random(using: &rng) { fields.append(("allreduce_ms", number(&rng))) }
        fields.shuffle(using: &rng)
        let spaced = Bool.random(using: &rng)
        let body = fields.map { "\"\($0.0)\":\(spaced ? " " : "")\($0.1)" }.joined(separator: spaced ? ", " : ",")
        return (Bool.random(using: &rng) ? "  " : "") + "{" + body + "}" + (Bool.random(using: &rng) ? " \r" : "")
    }

    @Test func randomLinesParseAsWithTheDecoderAndTakeTheFastPath() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let line = Self.randomLine(&rng)
            let fast = codec.parse(line), general = codec.parseWithDecoder(line)
            #expect(key(fast) == key(general), "\(line)")
            if case .event = general {
                #expect(scanned(line.trimmingCharacters(in: .whitespacesAndNewlines)) != nil, "\(line)")
            }
        }
    }

    @Test func damagedLinesParseAsWithTheDecoder() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("{}[]\",:.-+eE0123456789 nulltrx\\".utf8)
        for _ in 0..<3000 {
            var bytes = Array(Self.randomLine(&rng).utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: index)
                default: bytes[index] = alphabet.randomElement(using: &rng)!
                }
            }
            let line = String(decoding: bytes, as: UTF8.self)
            let same = key(codec.parse(line)) == key(codec.parseWithDecoder(line))
            if !same { try? Data(line.utf8).write(to: URL(fileURLWithPath: "/tmp/tb-mismatch.txt")) }
            #expect(same, "\(line)")
        }
    }

    @Test(arguments: [
        #"{"type":"batch_end","epoch":1.0,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":01,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"epoch":2,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","extra":[1],"epoch":1,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":"NaN","avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":1e400,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1} x"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1}"#,
        #"{"typ\u0065":"batch_end","epoch":1,"step":1,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":.5,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":123456789012345678901,"batch":1,"loss":1,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"batch_end","epoch":1,"step":1,"batch":1,"loss":0.1000000000000000055511151231257827,"avg_loss":1,"lr":1,"samples_per_sec":1,"elapsed":1}"#,
        #"{"type":"epoch_end","epoch":1,"train_loss":0.5}"#,
        "   ", "",
    ])
    func unusualLinesParseAsWithTheDecoder(line: String) {
        #expect(key(codec.parse(line)) == key(codec.parseWithDecoder(line)))
    }

    @Test func followerChunksGiveTheSameLinesAsOneRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-chunks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("events.jsonl")
        let text = try Self.fixture("multiclass").joined(separator: "\n")
        try Data(text.utf8).write(to: url)
        let whole = try EventFileFollower(url: url).poll().map(key)
        for chunk in [1, 7, 100, 4096] {
            let follower = EventFileFollower(url: url)
            var lines: [String] = []
            var polls = 0
            while try follower.poll(maxBytes: chunk, { lines.append(key($0)) }) { polls += 1 }
            #expect(lines == whole && !follower.isBehind && follower.fractionRead == 1)
            #expect(polls >= text.utf8.count / chunk - 1)
        }
        #expect(throws: EventFileError.self) { try EventFileFollower(url: directory.appendingPathComponent("none")).poll() }
    }
}
