import Testing
@testable import TensorCore

@Suite("BLAS thread choice")
struct BLASTests {
    @Test func perShapeChoiceSettlesAndNeverChangesResults() {
        BLAS.automatic()
        var rng = SeededGenerator(seed: 7)
        let a = Tensor.uniform([37, 41], using: &rng), b = Tensor.uniform([41, 43], using: &rng)
        let shape = BLAS.GemmShape(m: 37, n: 43, k: 41, transposeA: false, transposeB: false)
        let first = a.matmul(b)
        for _ in 0..<(2 * BLAS.trials + 2) { #expect(a.matmul(b) == first) }
        if BLAS.maxThreads > 1 {
            let chosen = BLAS.chosenThreads(for: shape)
            #expect(chosen == 1 || chosen == BLAS.maxThreads)
        }
        BLAS.setThreads(1)
        #expect(a.matmul(b) == first)
        BLAS.automatic()
    }
}
