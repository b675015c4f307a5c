import Testing
@testable import TensorCore

@Suite("Tensor ops")
struct TensorOpsTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

    @Test func creation() {
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.full([3], 7).scalars == [7, 7, 7])
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).count == 4)
        #expect(throws: TensorError.self) { try Tensor.validated(shape: [2, 2], scalars: [1]) }
    }

    @Test func reductions() {
        #expect(x.sum().item == 21)
        #expect(x.mean().item == 3.5)
        #expect(x.sum(axes: [0]).scalars == [5, 7, 9])
        #expect(x.sum(axes: [1]).scalars == [6, 15])
        #expect(x.sum(axes: [-1], keepDims: true).shape == [2, 1])
        #expect(x.mean(axes: [0, 1]).item == 3.5)
        let (values, indices) = Tensor(shape: [2, 3], scalars: [1, 9, 3, 7, 5, 7]).max(axis: 1)
        #expect(values.scalars == [9, 7])
        #expect(indices.indices == [1, 0])
    }

    @Test func logSumExpIsStable() {
        let big = Tensor(shape: [1, 3], scalars: [1e4, 1e4, -1e4])
        let lse = big.logSumExp(axis: 1)
        #expect(abs(lse.item - (1e4 + 0.6931472)) < 1e-2)
        let sm = Tensor(shape: [1, 2], scalars: [1000, 1000]).softmax()
        #expect(sm.scalars == [0.5, 0.5])
    }

    @Test func stableElementwiseAtLargeMagnitude() {
        let z = Tensor([1e4, -1e4, 0])
        #expect(z.sigmoid().scalars == [1, 0, 0.5])
        #expect(z.softplus().scalars[0] == 1e4)
        #expect(z.softplus().scalars[1] == 0)
        #expect(z.logSigmoid().scalars[0] == 0)
        #expect(z.logSigmoid().scalars[1] == -1e4)
        // log(1 − σ(z)) = logσ(z) − z stays finite where the naive form is log(0).
        let log1mSigmoid = z.logSigmoid() - z
        #expect(log1mSigmoid.scalars.allSatisfy { $0.isFinite })
        #expect(abs(log1mSigmoid.scalars[0] + 1e4) < 1)
    }

    @Test func reshapeTransposePermute() throws {
        #expect(try x.reshaped([3, -1]).shape == [3, 2])
        #expect(throws: TensorError.cannotReshape(from: [2, 3], to: [4, 2])) { try x.reshaped([4, 2]) }
        #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
        let cube = Tensor(shape: [2, 2, 2], scalars: (0..<8).map(Float.init))
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [2, 2, 2])
        #expect(p[1, 0, 1] == cube[0, 1, 1])
    }

    @Test func slicingConcatGather() throws {
        #expect(x.rows(1..<2).scalars == [4, 5, 6])
        #expect(x.selectingRows([1, 0, 1]).scalars == [4, 5, 6, 1, 2, 3, 4, 5, 6])
        let c = Tensor.concatenate([x, x], axis: 1)
        #expect(c.shape == [2, 6])
        #expect(c.scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        let g = try x.gathering(axis: 1, indices: IndexTensor(shape: [2, 1], indices: [2, 0]))
        #expect(g.scalars == [3, 4])
        #expect(throws: TensorError.indexOutOfRange(index: 3, size: 3)) {
            try x.gathering(axis: 1, indices: IndexTensor(shape: [2, 1], indices: [3, 0]))
        }
        let back = Tensor.scatterAdding(g, into: [2, 3], axis: 1, indices: IndexTensor(shape: [2, 1], indices: [2, 0]))
        #expect(back.scalars == [0, 0, 3, 4, 0, 0])
    }

    @Test func matmulMatchesNaiveProductInAllTransposes() throws {
        var rng = SeededGenerator(seed: 3)
        let a = Tensor.normal([4, 5], using: &rng), b = Tensor.normal([5, 3], using: &rng)
        var naive = Tensor.zeros([4, 3])
        for i in 0..<4 { for j in 0..<3 { for k in 0..<5 { naive[i, j] += a[i, k] * b[k, j] } } }
        #expect(try Tensor.matmul(a, b).isClose(to: naive, rtol: 1e-5, atol: 1e-5))
        #expect(try Tensor.matmul(a.transposed(), b, transposeA: true).isClose(to: naive, rtol: 1e-5, atol: 1e-5))
        #expect(try Tensor.matmul(a, b.transposed(), transposeB: true).isClose(to: naive, rtol: 1e-5, atol: 1e-5))
        #expect(throws: TensorError.matmulMismatch([4, 5], [4, 5])) { try Tensor.matmul(a, a) }
    }

    @Test func valueSemantics() {
        var a = x
        let b = a
        a[0, 0] = 100
        #expect(b[0, 0] == 1)
        #expect(a[0, 0] == 100)
    }
}
