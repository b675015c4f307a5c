import TensorCore

/// Differentiable elementwise functions. Each rule is one line: the local
/// derivative times the incoming gradient, written from saved values.
extension Variable {
    /// Applies `forward` elementwise with local derivative `derivative(x, y)`
    /// (x the input, y the output): the shared shape of every unary op below.
    public func unary(_ forward: (Tensor) -> Tensor, derivative: @escaping (Tensor, Tensor) -> Tensor) -> Variable {
        let x = value, y = forward(x)
        return Variable(y, inputs: [self], rules: [{ $0 * derivative(x, y) }])
    }

    public func exp() -> Variable { unary({ $0.exp() }) { _, y in y } }
    public func log() -> Variable { unary({ $0.log() }) { x, _ in 1 / x } }
    public func log1p() -> Variable { unary({ $0.log1p() }) { x, _ in 1 / (x + 1) } }
    public func sqrt() -> Variable { unary({ $0.sqrt() }) { _, y in 0.5 / y } }
    /// |x|; the gradient at 0 is 0, as PyTorch's `abs` (sign(x)).
    public func abs() -> Variable { unary({ $0.abs() }) { x, _ in x.sign() } }
    /// Applies an activation; its derivative comes from the same definition
    /// (`ActivationFunction`) that `StepPlan` runs on its own buffers.
    public func activation(_ function: ActivationFunction) -> Variable {
        let x = value, n = x.count
        guard n > 0 else { return Variable(x, inputs: [self], rules: [{ $0 }]) }
        let y = x.withUnsafeBufferPointer { px in
            Tensor.build(shape: x.shape) { function.apply(px.baseAddress!, into: $0.baseAddress!, count: n) }
        }
        return Variable(y, inputs: [self], rules: [{ g in
            g.withUnsafeBufferPointer { pg in x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in
                Tensor.build(shape: g.shape) {
                    function.backward(pg.baseAddress!, input: px.baseAddress!, output: py.baseAddress!, into: $0.baseAddress!, count: n)
                }
            } } }
        }])
    }

    public func sigmoid() -> Variable { activation(.sigmoid) }
    public func tanh() -> Variable { activation(.tanh) }
    /// max(x, 0); the gradient at 0 is 0, as PyTorch.
    public func relu() -> Variable { activation(.relu) }
    /// `x` where positive, `slope · x` elsewhere.
    public func leakyRelu(slope: Float = 0.01) -> Variable { activation(.leakyRelu(slope: slope)) }
    /// log(1 + eˣ), stable; derivative σ(x).
    public func softplus() -> Variable { unary({ $0.softplus() }) { x, _ in x.sigmoid() } }
    /// log σ(x), stable; derivative 1 − σ(x) = σ(−x).
    public func logSigmoid() -> Variable { activation(.logSigmoid) }
    /// GELU with the exact erf form, as `torch.nn.GELU()`.
    public func gelu() -> Variable { activation(.gelu) }

    /// Values limited to `[min, max]`; the gradient passes where the value was
    /// inside the bounds (bounds inclusive, as PyTorch's `clamp`).
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Variable {
        unary({ $0.clamped(min: lower, max: upper) }) { x, _ in x.map { $0 >= lower && $0 <= upper ? 1 : 0 } }
    }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere; gradients flow
    /// to the picked side only. `condition` is a constant mask.
    public static func `where`(_ condition: Tensor, _ a: Variable, _ b: Variable) -> Variable {
        Variable(Tensor.where(condition, a.value, b.value), inputs: [a, b], rules: [
            { Tensor.where(condition, $0, .zeros([])) },
            { Tensor.where(condition, .zeros([]), $0) },
        ])
    }
}
