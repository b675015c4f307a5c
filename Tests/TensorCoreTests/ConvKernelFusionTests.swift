import Testing
@testable import TensorCore

/// The fused passes of the CNN kernels give the values of the separate passes, bit
/// for bit: ReLU in the convolution's bias sweep, ReLU's backward in pooling's,
/// and pooling's backward without a zero-fill where its windows tile the input.
@Suite("Convolution kernels, fused passes")
struct ConvKernelFusionTests {
    /// Values in [-1, 1) with exact zeros, negative zeros and a NaN among them.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var v = (0..<count).map { _ in Float.random(in: -1..<1, using: &rng) }
        for i in stride(from: 3, to: count, by: 17) { v[i] = 0 }
        for i in stride(from: 5, to: count, by: 23) { v[i] = -0.0 }
        v[count / 2] = .nan
        return v
    }

    /// ReLU's value, as `ActivationFunction.relu` gives it (NaN gives 0).
    static func relu(_ v: Float) -> Float { v > 0 ? v : 0 }

    @Test("conv forward with relu equals conv forward then ReLU", arguments: [true, false])
    func convReLU(withBias: Bool) {
        let shape = Conv2DShape(channels: 2, height: 9, width: 11, outChannels: 3, window: Window2D(kernel: 3, padding: 1))
        let x = Self.values(2 * shape.inputCount, seed: 1), w = Self.values(3 * shape.patch, seed: 2).map { $0.isNaN ? 0.5 : $0 }
        let b: [Float] = [0.1, -0.2, 0]
        var plain = [Float](repeating: 0, count: 2 * shape.outputCount), fused = plain
        var work = [Float](repeating: 0, count: Conv2DKernel.workspaceCount(shape))
        for relu in [false, true] {
            x.withUnsafeBufferPointer { px in w.withUnsafeBufferPointer { pw in b.withUnsafeBufferPointer { pb in
                work.withUnsafeMutableBufferPointer { pws in
                    func run(_ y: UnsafeMutablePointer<Float>) {
                        Conv2DKernel.forward(shape, samples: 2, x: px.baseAddress!, weight: pw.baseAddress!,
                                             bias: withBias ? pb.baseAddress! : nil, relu: relu, y: y, workspace: pws.baseAddress!)
                    }
                    if relu { fused.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                    else { plain.withUnsafeMutableBufferPointer { run($0.baseAddress!) } }
                }
            } } }
        }
        let expected = plain.map { Self.relu($0) }
        #expect(fused.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(fused.contains { $0 > 0 } && fused.contains { $0 == 0 })
    }

    /// Pooling backward with `reluOutput` against pooling backward, then ReLU's backward
    /// (`select` on the pooling's input), for tiling windows (2×2 stride 2, 3×3 stride 3,
    /// rows under and over 8 outputs) and overlapping ones (2×2 stride 1).
    @Test("pool backward with ReLU's mask equals the two passes", arguments: [
        (2, 2, 6, 10), (2, 2, 14, 20), (3, 3, 9, 6), (2, 1, 5, 7), (2, 2, 7, 9),
    ])
    func poolReLU(kernel: Int, stride: Int, height: Int, width: Int) {
        let window = Window2D(kernel: kernel, stride: stride), (n, c) = (2, 3)
        let ho = window.output(height), wo = window.output(width)
        let relu = Self.values(n * c * height * width, seed: 3).map { Self.relu($0) }
        let g = Self.values(n * c * ho * wo, seed: 4).map { $0.isNaN ? 2 : $0 }
        var y = [Float](repeating: 0, count: g.count), picked = [Int32](repeating: 0, count: g.count)
        var separate = [Float](repeating: .nan, count: relu.count), fused = separate
        relu.withUnsafeBufferPointer { px in g.withUnsafeBufferPointer { pg in
            y.withUnsafeMutableBufferPointer { py in picked.withUnsafeMutableBufferPointer { pa in
                MaxPool2DKernel.forward(channels: c, height: height, width: width, window, samples: n, x: px.baseAddress!,
                                        y: py.baseAddress!, argmax: pa.baseAddress!)
                separate.withUnsafeMutableBufferPointer { pd in
                    MaxPool2DKernel.backward(channels: c, height: height, width: width, window, samples: n, dy: pg.baseAddress!,
                                             argmax: pa.baseAddress!, dx: pd.baseAddress!)
                    ActivationFunction.relu.backward(pd.baseAddress!, input: px.baseAddress!, output: px.baseAddress!,
                                                     into: pd.baseAddress!, count: relu.count)
                }
                fused.withUnsafeMutableBufferPointer { pd in
                    MaxPool2DKernel.backward(channels: c, height: height, width: width, window, samples: n, dy: pg.baseAddress!,
                                             argmax: pa.baseAddress!, dx: pd.baseAddress!,
                                             relu: (px.baseAddress!, UnsafePointer(py.baseAddress!)))
                }
            } }
        } }
        #expect(fused.map(\.bitPattern) == separate.map(\.bitPattern))
        #expect(fused.contains { $0 != 0 })
        // Every output's gradient lands once, where it was picked (the window's first largest).
        if stride == kernel {
            let sum = fused.reduce(0, +), kept = zip(g, y).reduce(Float(0)) { $0 + ($1.1 > 0 ? $1.0 : 0) }
            #expect(abs(sum - kept) < 1e-4)
        }
    }

    @Test("2x2 pooling picks the first largest (NaN largest) in rows under and over 8 outputs", arguments: [6, 20])
    func poolForwardPicks(width: Int) {
        let x = Self.values(2 * 4 * width, seed: 5), window = Window2D(kernel: 2, stride: 2), wo = width / 2
        var y = [Float](repeating: 0, count: 2 * 2 * wo), picked = [Int32](repeating: 0, count: y.count)
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in picked.withUnsafeMutableBufferPointer { pa in
            MaxPool2DKernel.forward(channels: 2, height: 4, width: width, window, samples: 1, x: px.baseAddress!,
                                    y: py.baseAddress!, argmax: pa.baseAddress!)
        } } }
        for c in 0..<2 { for oy in 0..<2 { for ox in 0..<wo {
            let slot = (c * 2 + oy) * wo + ox, top = (c * 4 + 2 * oy) * width + 2 * ox
            var best = top
            for q in [top + 1, top + width, top + width + 1] where x[q] > x[best] || (x[q].isNaN && !x[best].isNaN) { best = q }
            #expect(Int(picked[slot]) == best && y[slot].bitPattern == x[best].bitPattern)
        } } }
    }
}
