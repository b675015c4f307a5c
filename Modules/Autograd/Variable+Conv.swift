import TensorCore

/// Convolution and max pooling over `[N, C, H, W]` batches, as `F.conv2d` and
/// `F.max_pool2d` with integer kernel, stride and padding. The arithmetic is
/// `Conv2DKernel`'s and `MaxPool2DKernel`'s, which the layers' buffered forms share.
extension Variable {
    /// `y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c]` (cross-correlation, as PyTorch).
    ///
    /// Each sample is lowered to `cols [C·k·k, Ho·Wo]`, so forward is
    /// `W [O, C·k·k] · cols`; backward is `g · colsᵀ` (lowered again) summed over the batch for the
    /// weight, `Wᵀ · g` scattered back for the input, and `g` summed over batch and
    /// positions for the bias (see `Conv2DKernel`).
    /// - Shapes: `x [N, C, H, W]`, `weight [O, C, k, k]`, `bias [O]` → `[N, O, Ho, Wo]`.
    public static func conv2d(_ x: Variable, weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0) -> Variable {
        let xs = x.shape, ws = weight.shape
        precondition(xs.count == 4 && ws.count == 4 && xs[1] == ws[1] && ws[2] == ws[3],
                     "conv2d: input \(xs) does not match weight \(ws) ([N, C, H, W] and [O, C, k, k])")
        let shape = Conv2DShape(channels: xs[1], height: xs[2], width: xs[3], outChannels: ws[0],
                                window: Window2D(kernel: ws[2], stride: stride, padding: padding))
        precondition(shape.positions > 0,
                     "conv2d: a \(ws[2])×\(ws[2]) kernel does not fit input \(xs) with padding \(padding)")
        let n = xs[0], input = x.value, filters = weight.value, biasValue = bias?.value
        var scratch = Tensor.zeros([Conv2DKernel.workspaceCount(shape)])
        let out = Tensor.build(shape: [n, shape.outChannels, shape.outHeight, shape.outWidth]) { py in
            input.withUnsafeBufferPointer { px in filters.withUnsafeBufferPointer { pw in scratch.withUnsafeMutableBufferPointer { ps in
                func run(_ b: UnsafePointer<Float>?) {
                    Conv2DKernel.forward(shape, samples: n, x: px.baseAddress!, weight: pw.baseAddress!, bias: b,
                                         y: py.baseAddress!, workspace: ps.baseAddress!)
                }
                if let biasValue { biasValue.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
            } } }
        }
        // The weight and bias gradients come from one kernel call, made by whichever rule runs first.
        let pending = PendingGradients()
        let parameterGradients: (Tensor) -> (weight: Tensor, bias: Tensor) = { g in
            if let both = pending.take() { return both }
            var dw = Tensor.zeros(ws), db = Tensor.zeros([shape.outChannels])
            var workspace = Tensor.zeros([Conv2DKernel.workspaceCount(shape)])
            g.withUnsafeBufferPointer { pg in input.withUnsafeBufferPointer { px in
                dw.withUnsafeMutableBufferPointer { pd in db.withUnsafeMutableBufferPointer { pb in
                    workspace.withUnsafeMutableBufferPointer { pws in
                        Conv2DKernel.parameterGradients(shape, samples: n, x: px.baseAddress!, dy: pg.baseAddress!,
                                                        dW: pd.baseAddress!, db: pb.baseAddress!, workspace: pws.baseAddress!)
                    }
                } }
            } }
            pending.keep((dw, db))
            return (dw, db)
        }
        var inputs = [x, weight], rules: [(Tensor) -> Tensor] = [
            { g in   // ∂x: Wᵀ · g per sample, scattered back onto the input
                var dx = Tensor.zeros(xs), workspace = Tensor.zeros([Conv2DKernel.workspaceCount(shape)])
                g.withUnsafeBufferPointer { pg in filters.withUnsafeBufferPointer { pw in
                    dx.withUnsafeMutableBufferPointer { pd in workspace.withUnsafeMutableBufferPointer { pws in
                        Conv2DKernel.inputGradient(shape, samples: n, dy: pg.baseAddress!, weight: pw.baseAddress!,
                                                   dx: pd.baseAddress!, workspace: pws.baseAddress!)
                    } }
                } }
                return dx
            },
            { g in parameterGradients(g).weight },   // ∂W: Σ_n g_n · cols_nᵀ
        ]
        if let bias {
            inputs.append(bias)
            rules.append { g in parameterGradients(g).bias }   // ∂b: g summed over samples and positions
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
        let (n, c, h, w) = (xs[0], xs[1], xs[2], xs[3]), ho = window.output(h), wo = window.output(w)
        precondition(ho > 0 && wo > 0, "max_pool2d: a \(kernel)×\(kernel) window does not fit input \(xs)")
        var argmax = [Int32](repeating: 0, count: n * c * ho * wo)
        let out = value.withUnsafeBufferPointer { px in
            Tensor.build(shape: [n, c, ho, wo]) { py in
                argmax.withUnsafeMutableBufferPointer { pa in
                    MaxPool2DKernel.forward(channels: c, height: h, width: w, window, samples: n, x: px.baseAddress!,
                                            y: py.baseAddress!, argmax: pa.baseAddress!)
                }
            }
        }
        let picked = argmax
        return Variable(out, inputs: [self], rules: [{ g in
            var dx = Tensor.zeros(xs)
            dx.withUnsafeMutableBufferPointer { pd in g.withUnsafeBufferPointer { pg in picked.withUnsafeBufferPointer { pa in
                MaxPool2DKernel.backward(channels: c, height: h, width: w, window, samples: n, dy: pg.baseAddress!,
                                         argmax: pa.baseAddress!, dx: pd.baseAddress!)
            } } }
            return dx
        }])
    }
}

/// A result computed by one backward rule and used by the next one of the same node.
private final class PendingGradients {
    private var value: (weight: Tensor, bias: Tensor)?
    func keep(_ both: (weight: Tensor, bias: Tensor)) { value = both }
    func take() -> (weight: Tensor, bias: Tensor)? {
        defer { value = nil }
        return value
    }
}
