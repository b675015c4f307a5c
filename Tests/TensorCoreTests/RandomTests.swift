import Testing
@testable import TensorCore

@Suite("Seeded random")
struct RandomTests {
    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }

    /// Pins the stream so a change to the generator (which would change every
    /// seeded run on every machine) cannot pass unnoticed.
    @Test func streamIsPinned() {
        var g = SeededGenerator(seed: 0)
        let first = g.next()
        var again = SeededGenerator(seed: 0)
        #expect(again.next() == first)
        #expect(first == 0x99EC_5F36_CB75_F2B4)
    }

    @Test func distributionsHaveTheRightMoments() {
        var g = SeededGenerator(seed: 7)
        let u = Tensor.uniform([20000], low: -1, high: 1, using: &g)
        #expect(abs(u.mean().item) < 0.02)
        #expect(u.min() >= -1 && u.max() < 1)
        let n = Tensor.normal([20000], mean: 2, std: 3, using: &g)
        #expect(abs(n.mean().item - 2) < 0.1)
        let variance = ((n - 2) * (n - 2)).mean().item
        #expect(abs(variance.squareRoot() - 3) < 0.1)
    }

    @Test func initializersUsePyTorchBounds() {
        var g = SeededGenerator(seed: 1)
        let w = Tensor.kaimingUniform([64, 100], fanIn: 100, a: Float(5).squareRoot(), using: &g)
        #expect(w.max() <= 0.1 && w.min() >= -0.1)
        #expect(w.max() > 0.09)
        let xv = Tensor.xavierUniform([10, 20], fanIn: 20, fanOut: 10, using: &g)
        #expect(xv.max() <= Float(6.0 / 30).squareRoot())
    }
}
