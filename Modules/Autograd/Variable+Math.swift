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
    public func sigmoid() -> Variable { unary({ $0.sigmoid() }) { _, y in y * (1 - y) } }
    public func tanh() -> Variable { unary({ $0.tanh() }) { _, y in 1 - y * y } }
    /// max(x, 0); the gradient at 0 is 0, as PyTorch.
    /// One pass each way: the gradient passes where the output is positive.
    public func relu() -> Variable {
        let y = value.relu()
        return Variable(y, inputs: [self], rules: [{ g in Tensor.zip(g, y) { $1 > 0 ? $0 : 0 } }])
    }
    /// `x` where positive, `slope · x` elsewhere.
    public func leakyRelu(slope: Float = 0.01) -> Variable {
        unary({ $0.map { $0 > 0 ? $0 : slope * $0 } }) { x, _ in x.map { $0 > 0 ? 1 : slope } }
    }
    /// log(1 + eˣ), stable; derivative σ(x).
    public func softplus() -> Variable { unary({ $0.softplus() }) { x, _ in x.sigmoid() } }
    /// log σ(x), stable; derivative 1 − σ(x) = σ(−x).
    public func logSigmoid() -> Variable { unary({ $0.logSigmoid() }) { x, _ in (-x).sigmoid() } }
    /// GELU with the exact erf form, as `torch.nn.GELU()`.
    public func gelu() -> Variable {
        unary({ $0.map { 0.5 * $0 * (1 + Scalar.erf($0 * Float(0.5).squareRoot())) } }) { x, _ in
            x.map { v in
                0.5 * (1 + Scalar.erf(v * Float(0.5).squareRoot())) + v * Scalar.exp(-0.5 * v * v) / (2 * Float.pi).squareRoot()
            }
        }
    }

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
