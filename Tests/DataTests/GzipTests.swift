import Testing
@testable import Data

@Suite("gzip")
struct GzipTests {
    @Test("output beyond the limit is an error, not an allocation (gzip bomb)")
    func outputLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 3 << 20)
        let bomb = Gzip.compress(zeros, level: 9)
        #expect(bomb.count < 10_000)
        #expect(try Gzip.decompress(bomb, file: "ok.gz", limit: 3 << 20) == zeros)
        #expect {
            _ = try Gzip.decompress(bomb, file: "bomb.gz", limit: 1 << 20)
        } throws: { "\($0)".contains("bomb.gz") && "\($0)".contains("more than 1048576 bytes") }
        #expect(throws: DataError.self) { try Gzip.decompress(bomb, file: "edge.gz", limit: (3 << 20) - 1) }
    }

    @Test("round trip, including empty and incompressible input")
    func roundTrip() throws {
        var rng = UInt64(12345)
        let noise: [UInt8] = (0..<50_000).map { _ in rng = rng &* 6364136223846793005 &+ 1; return UInt8(rng >> 56) }
        for input in [[], Array("hello hello hello".utf8), noise] as [[UInt8]] {
            let zipped = Gzip.compress(input)
            #expect(Gzip.isCompressed(zipped))
            #expect(try Gzip.decompress(zipped, file: "t") == input)
        }
    }

    @Test("concatenated members decompress to the concatenation")
    func multiMember() throws {
        let a = Array("first member;".utf8), b = Array(repeating: UInt8(9), count: 100_000)
        #expect(try Gzip.decompress(Gzip.compress(a) + Gzip.compress(b), file: "t") == a + b)
    }

    @Test("trailing garbage after a member is an error, trailing zeros are not")
    func trailing() throws {
        let zipped = Gzip.compress(Array("abc".utf8))
        #expect(try Gzip.decompress(zipped + [0, 0, 0], file: "t") == Array("abc".utf8))
        expectError(try Gzip.decompress(zipped + [0x42, 0x43], file: "t.gz"), contains: ["t.gz: damaged gzip stream", "unexpected data"])
    }
}
