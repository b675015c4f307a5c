import Testing
@testable import TensorCore

@Suite("im2col lowering")
struct Im2ColTests {
    /// The contiguous "same"-padding lowering gives the row-by-row walk's values, bit for bit
    /// (padding, both borders, rows above and below, -0 and NaN kept), for shapes that include
    /// 1-wide, 1-high and kernels wider than the input.
    @Test(arguments: [(1, 5, 7, 3), (3, 4, 4, 3), (2, 1, 6, 3), (2, 6, 1, 3), (1, 2, 2, 5), (2, 3, 5, 1), (16, 14, 14, 3), (1, 9, 8, 7)])
    func sameLoweringEqualsTheRowWalk(channels: Int, height: Int, width: Int, kernel: Int) {
        let window = Window2D(kernel: kernel, stride: 1, padding: (kernel - 1) / 2)
        #expect(window.output(width) == width)
        var rng = SeededGenerator(seed: UInt64(channels * 1000 + height * 100 + width * 10 + kernel))
        var x = (0..<(channels * height * width)).map { _ in Float.random(in: -2...2, using: &rng) }
        x[0] = -0.0
        if x.count > 3 { x[3] = .nan }
        let rows = kernel * kernel * channels * window.output(height) * width
        var fast = [Float](repeating: 7, count: rows), walked = [Float](repeating: 9, count: rows)
        x.withUnsafeBufferPointer { input in
            Im2Col.gatherSame(input.baseAddress!, channels: channels, height: height, width: width, window, into: &fast)
            Im2Col.gatherRows(input.baseAddress!, channels: channels, height: height, width: width, window, into: &walked)
        }
        #expect(fast.map(\.bitPattern) == walked.map(\.bitPattern))
    }
}
