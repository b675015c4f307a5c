import Testing
@testable import TensorCore

@Suite("BLAS thread choice")
struct BLASTests {
    @Test func threadCountIsAFunctionOfTheShape() {
        let small = BLAS.GemmShape(m: 37, n: 43, k: 41), large = BLAS.GemmShape(m: 1024, n: 1024, k: 64)
        #expect(BLAS.threads(for: small) == 1)
        #expect(BLAS.threads(for: large) == (large.m * large.n * large.k >= BLAS.multithreadThreshold ? BLAS.maxThreads : 1))
        #expect(BLAS.threads(for: small) == BLAS.threads(for: small))
    }

    @Test func repeatedProductsAreIdentical() {
        var rng = SeededGenerator(seed: 7)
        let a = Tensor.uniform([37, 41], using: &rng), b = Tensor.uniform([41, 43], using: &rng)
        let first = a.matmul(b)
        for _ in 0..<5 { #expect(a.matmul(b) == first) }
    }
}
