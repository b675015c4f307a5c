import Testing
@testable import TensorCore

/// The thread choice is a `BLAS.ThreadPolicy` bound per task, never process-wide
/// state, so these tests (run in parallel with each other and with every other
/// suite of the process) cannot change each other's GEMMs.
@Suite("BLAS thread choice")
struct BLASTests {
    @Test("fixed shapes get fixed thread counts")
    func threadCountIsAFunctionOfTheShape() {
        let automatic = BLAS.ThreadPolicy.automatic
        #expect(automatic.threshold == 1 << 20)
        // On 2 threads: below 2^20 multiply-adds one thread, from 2^20 up both.
        #expect(automatic.threads(for: .init(m: 37, n: 43, k: 41), maxThreads: 2) == 1)
        #expect(automatic.threads(for: .init(m: 1024, n: 1024, k: 64), maxThreads: 2) == 2)
        #expect(automatic.threads(for: .init(m: 1024, n: 1024, k: 1), maxThreads: 2) == 2)          // exactly 2^20
        #expect(automatic.threads(for: .init(m: 1023, n: 1025, k: 1), maxThreads: 2) == 1)          // 2^20 − 1
        // The reference MLP at batch 128: the two wide layers split, the head does not.
        #expect(automatic.threads(for: .init(m: 128, n: 256, k: 784), maxThreads: 2) == 2)
        #expect(automatic.threads(for: .init(m: 128, n: 10, k: 128), maxThreads: 2) == 1)
        #expect(automatic.threads(for: .init(m: 1024, n: 1024, k: 64), maxThreads: 8) == 8)
        #expect(automatic.threads(for: .init(m: 1024, n: 1024, k: 64), maxThreads: 1) == 1)
        // A pinned count is clamped to 1...maxThreads, whatever the shape.
        #expect(BLAS.ThreadPolicy.pinned(2).threads(for: .init(m: 2, n: 2, k: 2), maxThreads: 2) == 2)
        #expect(BLAS.ThreadPolicy.pinned(5).threads(for: .init(m: 2, n: 2, k: 2), maxThreads: 2) == 2)
        #expect(BLAS.ThreadPolicy.pinned(0).threads(for: .init(m: 1024, n: 1024, k: 64), maxThreads: 2) == 1)
        #expect(BLAS.ThreadPolicy(threshold: 100).threads(for: .init(m: 5, n: 5, k: 4), maxThreads: 2) == 2)
        // Outside any binding the per-shape choice applies.
        #expect(BLAS.threads(for: .init(m: 37, n: 43, k: 41)) == 1)
        #expect(BLAS.threads(for: .init(m: 1024, n: 1024, k: 64)) == BLAS.maxThreads)
    }

    @Test("fixed shapes are cut into fixed blocks")
    func splitIsAFunctionOfTheShape() {
        // Columns unless m > n; at most one part per 16 rows or columns.
        #expect(BLAS.split(.init(m: 64, n: 200, k: 96), threads: 2) == (parts: 2, byRows: false))
        #expect(BLAS.split(.init(m: 200, n: 48, k: 33), threads: 2) == (parts: 2, byRows: true))
        #expect(BLAS.split(.init(m: 129, n: 131, k: 7), threads: 2) == (parts: 2, byRows: false))
        #expect(BLAS.split(.init(m: 20, n: 31, k: 500), threads: 2) == (parts: 1, byRows: false))
        #expect(BLAS.split(.init(m: 64, n: 200, k: 96), threads: 1) == (parts: 1, byRows: false))
        #expect(BLAS.split(.init(m: 64, n: 40, k: 96), threads: 8) == (parts: 4, byRows: true))
        // Block edges on multiples of 16; the last block takes the rest.
        #expect((0..<2).map { SplitGemm.block($0, of: 2, extent: 131) } == [0..<64, 64..<131])
        #expect((0..<2).map { SplitGemm.block($0, of: 2, extent: 200) } == [0..<96, 96..<200])
        #expect((0..<3).map { SplitGemm.block($0, of: 3, extent: 100) } == [0..<32, 32..<64, 64..<100])
    }

    @Test("a policy bound in one task never reaches a concurrent one")
    func policiesArePerTask() async {
        let large = BLAS.GemmShape(m: 1024, n: 1024, k: 64)
        let seen = await withTaskGroup(of: (Int, Set<Int>).self) { group in
            for pinned in [1, 2, 1, 2] {
                group.addTask {
                    BLAS.withThreads(pinned) {
                        var counts = Set<Int>()
                        for _ in 0..<100_000 { counts.insert(BLAS.threads(for: large)) }
                        return (pinned, counts)
                    }
                }
            }
            return await group.reduce(into: [(Int, Set<Int>)]()) { $0.append($1) }
        }
        for (pinned, counts) in seen { #expect(counts == [min(pinned, BLAS.maxThreads)]) }
        #expect(BLAS.policy == .automatic)
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

    @Test("a GEMM cut into blocks is correct, and repeats exactly", arguments: [(64, 96, 200), (200, 33, 48), (129, 7, 131)])
    func splitProducts(m: Int, k: Int, n: Int) throws {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor.uniform([m, k], low: -1, high: 1, using: &rng), b = Tensor.uniform([k, n], low: -1, high: 1, using: &rng)
        let reference = Self.reference(a, b)
        // The blocks computed one after another on this thread (whatever the core count).
        let (parts, byRows) = BLAS.split(.init(m: m, n: n, k: k), threads: 2)
        #expect(parts == 2)
        var blocks = Tensor.zeros([m, n])
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                blocks.withUnsafeMutableBufferPointer { pc in
                    let gemm = SplitGemm(m: m, n: n, k: k, a: pa.baseAddress!, b: pb.baseAddress!, c: pc.baseAddress!,
                                         transposeA: false, transposeB: false, alpha: 1, beta: 0, parts: parts, byRows: byRows)
                    for part in 0..<parts { gemm.run(part: part) }
                }
            }
        }
        #expect(zip(blocks.scalars, reference).allSatisfy { abs(Double($0) - $1) < 1e-4 })
        // The same cut on the helper threads, pinned for this task only.
        try BLAS.withThreads(2) {
            let split = a.matmul(b)
            #expect(split == blocks || BLAS.maxThreads == 1)
            #expect(zip(split.scalars, reference).allSatisfy { abs(Double($0) - $1) < 1e-4 })
            for _ in 0..<3 { #expect(a.matmul(b) == split) }
            // Transposed operands are cut at the same places.
            let viaTransposes = try Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true)
            #expect(zip(viaTransposes.scalars, reference).allSatisfy { abs(Double($0) - $1) < 1e-4 })
        }
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
