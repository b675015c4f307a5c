import Testing
@testable import TensorCore

@Suite("Broadcasting")
struct BroadcastingTests {
    @Test func scalarOperand() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        #expect((x + Tensor(10)).scalars == [11, 12, 13, 14])
        #expect((Tensor(10) - x).scalars == [9, 8, 7, 6])
        #expect((x * 2).scalars == [2, 4, 6, 8])
    }

    @Test func trailingDimensions() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let row = Tensor([10, 20, 30])
        #expect((x + row).scalars == [11, 22, 33, 14, 25, 36])
        #expect((x + row).shape == [2, 3])
    }

    @Test func leadingOnes() {
        let x = Tensor(shape: [2, 1], scalars: [1, 2])
        let y = Tensor(shape: [1, 1, 3], scalars: [10, 20, 30])
        let z = x * y
        #expect(z.shape == [1, 2, 3])
        #expect(z.scalars == [10, 20, 30, 20, 40, 60])
    }

    @Test func bothSidesBroadcast() {
        let col = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        let row = Tensor(shape: [1, 2], scalars: [10, 20])
        let z = col + row
        #expect(z.shape == [3, 2])
        #expect(z.scalars == [11, 21, 12, 22, 13, 23])
    }

    @Test func middleAxis() {
        let x = Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        let y = Tensor(shape: [2, 3, 1], scalars: [0, 10, 20, 30, 40, 50])
        let z = x + y
        #expect(z.shape == [2, 3, 2])
        #expect(z.scalars == [1, 2, 11, 12, 21, 22, 33, 34, 43, 44, 53, 54])
    }

    @Test func incompatibleShapesNameBoth() {
        #expect(throws: TensorError.cannotBroadcast([3, 2], [2, 3])) { try Shape.broadcast([3, 2], [2, 3]) }
        #expect(TensorError.cannotBroadcast([3, 2], [2, 3]).description == "cannot broadcast [3, 2] with [2, 3]")
    }

    @Test func unbroadcastIsTheAdjointOfBroadcast() {
        let g = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(g.unbroadcast(to: [3]).scalars == [5, 7, 9])
        #expect(g.unbroadcast(to: [2, 1]).scalars == [6, 15])
        #expect(g.unbroadcast(to: [1, 3]).shape == [1, 3])
        #expect(g.unbroadcast(to: []).scalars == [21])
    }

    @Test func whereComparisonsAndClamp() {
        let x = Tensor([-2, 0, 3])
        #expect((x .> 0).scalars == [0, 0, 1])
        #expect(Tensor.where(x .> 0, x, Tensor(-1)).scalars == [-1, -1, 3])
        #expect(x.clamped(min: -1, max: 2).scalars == [-1, 0, 2])
        #expect(Tensor.maximum(x, Tensor(1)).scalars == [1, 1, 3])
    }
}
