import TensorCore

/// Convolution and max pooling over `[N, C, H, W]` batches, as `F.conv2d` and
/// `F.max_pool2d` with integer kernel, stride and padding.
extension Variable {
    /// `y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c]` (cross-correlation, as PyTorch).
    ///
    /// Each sample is lowered with `Im2Col.gather` to `cols [C·k·k, Ho·Wo]`, so
    /// forward is `W [O, C·k·k] · cols`; backward is `g · colsᵀ` summed over the
    /// batch for the weight, `Wᵀ · g` scattered back (`Im2Col.scatterAdd`) for the
    /// input, and `g` summed over batch and positions for the bias.
    /// - Shapes: `x [N, C, H, W]`, `weight [O, C, k, k]`, `bias [O]` → `[N, O, Ho, Wo]`.
    public static func conv2d(_ x: Variable, weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0) -> Variable {
        let xs = x.shape, ws = weight.shape
        precondition(xs.count == 4 && ws.count == 4 && xs[1] == ws[1] && ws[2] == ws[3],
                     "conv2d: input \(xs) does not match weight \(ws) ([N, C, H, W] and [O, C, k, k])")
        let (n, c, h, w) = (xs[0], xs[1], xs[2], xs[3]), o = ws[0]
        let window = Window2D(kernel: ws[2], stride: stride, padding: padding)
        let ho = window.output(h), wo = window.output(w), rows = c * window.kernel * window.kernel, positions = ho * wo
        precondition(ho > 0 && wo > 0, "conv2d: a \(window.kernel)×\(window.kernel) kernel does not fit input \(xs) with padding \(padding)")
        let input = x.value, filters = weight.value
        var cols = Tensor.zeros([n, rows, positions])
        cols.withUnsafeMutableBufferPointer { pc in input.withUnsafeBufferPointer { px in
            for s in 0..<n {
                Im2Col.gather(px.baseAddress! + s * c * h * w, channels: c, height: h, width: w, window,
                              into: pc.baseAddress! + s * rows * positions)
            }
        } }
        let lowered = cols
        var out = Tensor.zeros([n, o, ho, wo])
        out.withUnsafeMutableBufferPointer { py in filters.withUnsafeBufferPointer { pw in lowered.withUnsafeBufferPointer { pc in
            for s in 0..<n {
                let ys = py.baseAddress! + s * o * positions
                BLAS.gemm(m: o, n: positions, k: rows, pw.baseAddress!, transposeA: false, pc.baseAddress! + s * rows * positions,
                          transposeB: false, into: ys)
                if let b = bias?.value { for ch in 0..<o { for p in 0..<positions { ys[ch * positions + p] += b.scalars[ch] } } }
            }
        } } }
        var inputs = [x, weight], rules: [(Tensor) -> Tensor] = [
            { g in   // ∂x: Wᵀ · g per sample, scattered back onto the input
                var dx = Tensor.zeros(xs), dcols = Tensor.zeros([rows, positions])
                g.withUnsafeBufferPointer { pg in filters.withUnsafeBufferPointer { pw in
                    dx.withUnsafeMutableBufferPointer { pd in dcols.withUnsafeMutableBufferPointer { pdc in
                        for s in 0..<n {
                            BLAS.gemm(m: rows, n: positions, k: o, pw.baseAddress!, transposeA: true,
                                      pg.baseAddress! + s * o * positions, transposeB: false, into: pdc.baseAddress!)
                            Im2Col.scatterAdd(pdc.baseAddress!, channels: c, height: h, width: w, window,
                                              into: pd.baseAddress! + s * c * h * w)
                        }
                    } }
                } }
                return dx
            },
            { g in   // ∂W: Σ_n g_n · cols_nᵀ
                var dw = Tensor.zeros(ws)
                g.withUnsafeBufferPointer { pg in lowered.withUnsafeBufferPointer { pc in dw.withUnsafeMutableBufferPointer { pd in
                    for s in 0..<n {
                        BLAS.gemm(m: o, n: rows, k: positions, pg.baseAddress! + s * o * positions, transposeA: false,
                                  pc.baseAddress! + s * rows * positions, transposeB: true, into: pd.baseAddress!, beta: s == 0 ? 0 : 1)
                    }
                } } }
                return dw
            },
        ]
        if let bias {
            inputs.append(bias)
            rules.append { g in g.sum(axes: [0, 2, 3]) }
        }
        return Variable(out, inputs: inputs, rules: rules)
    }

    /// The largest value of each `kernel × kernel` window (stride defaults to the
    /// kernel, as PyTorch); the gradient goes to the first largest entry of each
    /// window (NaN counts as largest).
    /// - Shapes: `[N, C, H, W]` → `[N, C, Ho, Wo]`.
    public func maxPool2d(kernel: Int, stride: Int? = nil) -> Variable {
        let xs = shape
        precondition(xs.count == 4, "max_pool2d: input \(xs) is not [N, C, H, W]")
        let window = Window2D(kernel: kernel, stride: stride ?? kernel)
        let planes = xs[0] * xs[1], (h, w) = (xs[2], xs[3]), ho = window.output(h), wo = window.output(w)
        precondition(ho > 0 && wo > 0, "max_pool2d: a \(kernel)×\(kernel) window does not fit input \(xs)")
        var argmax = [Int](repeating: 0, count: planes * ho * wo)
        let out = value.withUnsafeBufferPointer { px in
            Tensor.build(shape: [xs[0], xs[1], ho, wo]) { py in
                for plane in 0..<planes {
                    for oy in 0..<ho {
                        for ox in 0..<wo {
                            var best = -Float.infinity, at = plane * h * w + oy * window.stride * w + ox * window.stride
                            for i in 0..<kernel {
                                for j in 0..<kernel {
                                    let index = plane * h * w + (oy * window.stride + i) * w + ox * window.stride + j
                                    if px[index] > best || px[index].isNaN && !best.isNaN { best = px[index]; at = index }
                                }
                            }
                            let slot = (plane * ho + oy) * wo + ox
                            py[slot] = px[at]
                            argmax[slot] = at
                        }
                    }
                }
            }
        }
        let picked = argmax
        return Variable(out, inputs: [self], rules: [{ g in
            var dx = Tensor.zeros(xs)
            dx.withUnsafeMutableBufferPointer { pd in g.withUnsafeBufferPointer { pg in
                for (slot, index) in picked.enumerated() { pd[index] += pg[slot] }
            } }
            return dx
        }])
    }
}
