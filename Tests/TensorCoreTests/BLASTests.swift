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

    /// A naive product in Double, for reference.
    static func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        return (0..<m * n).map { i in (0..<k).reduce(0.0) { $0 + Double(a[i / n, $1]) * Double(b[$1, i % n]) } }
    }

    @Test("a GEMM split over the threads is correct, and repeats exactly", arguments: [(64, 96, 200), (200, 33, 48), (129, 7, 131)])
    func splitProducts(m: Int, k: Int, n: Int) {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor.uniform([m, k], low: -1, high: 1, using: &rng), b = Tensor.uniform([k, n], low: -1, high: 1, using: &rng)
        BLAS.setThreads(BLAS.maxThreads)
        defer { BLAS.automatic() }
        let split = a.matmul(b)
        #expect(zip(split.scalars, Self.reference(a, b)).allSatisfy { abs(Double($0) - $1) < 1e-4 })
        for _ in 0..<3 { #expect(a.matmul(b) == split) }
        // Transposed operands are cut at the same places.
        let viaTransposes = try! Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
        #expect(zip(viaTransposes.scalars, Self.reference(a, b)).allSatisfy { abs(Double($0) - $1) < 1e-4 })
    }

    @Test("callers on several threads take turns on the helpers")
    func concurrentCallers() async {
        var rng = SeededGenerator(seed: 4)
        let a = Tensor.uniform([128, 256], using: &rng), b = Tensor.uniform([256, 128], using: &rng)
        let expected = a.matmul(b)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 { group.addTask { (0..<20).allSatisfy { _ in a.matmul(b) == expected } } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
    }
}
