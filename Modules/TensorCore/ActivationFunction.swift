/// The elementwise activations of `torch.nn`, each with its derivative, on raw
/// buffers: the one definition behind Autograd's `Variable.relu()` & co. and
/// the `Activation` layers, whether they run in the graph or in a `StepPlan`.
///
/// Forward and backward each run one loop per function (the `switch` sits
/// outside it), so the simple ones vectorize.
public enum ActivationFunction: Equatable, Sendable {
    /// `max(x, 0)`; the gradient at 0 is 0, as PyTorch.
    case relu
    /// `1 / (1 + e^−x)`, stable for large |x|; derivative `y (1 − y)`.
    case sigmoid
    /// Hyperbolic tangent; derivative `1 − y²`.
    case tanh
    /// `x Φ(x)` with the exact erf form, as `torch.nn.GELU()`.
    case gelu
    /// `log σ(x)`, stable; derivative `σ(−x)`.
    case logSigmoid
    /// `x` where positive, `slope · x` elsewhere.
    case leakyRelu(slope: Float)

    /// `y[i] = f(x[i])` for `count` values.
    @inlinable
    public func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .relu: Self.select(x, where: x, into: y, count: count)
        case .sigmoid: for i in 0..<count { y[i] = Scalar.sigmoid(x[i]) }
        case .tanh: for i in 0..<count { y[i] = Scalar.tanh(x[i]) }
        case .gelu: for i in 0..<count { y[i] = 0.5 * x[i] * (1 + Scalar.erf(x[i] * Float(0.5).squareRoot())) }
        case .logSigmoid: for i in 0..<count { y[i] = Scalar.logSigmoid(x[i]) }
        case .leakyRelu(let slope): for i in 0..<count { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
        }
    }

    /// `inputGradient[i] = gradient[i] · f′(x[i])`, from the saved input `x` and
    /// output `y`. `inputGradient` may be `gradient` itself (updated in place).
    @inlinable
    public func backward(_ gradient: UnsafePointer<Float>, input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         into inputGradient: UnsafeMutablePointer<Float>, count: Int) {
        let g = gradient, d = inputGradient
        switch self {
        case .relu: Self.select(g, where: y, into: d, count: count)
        case .sigmoid: for i in 0..<count { d[i] = g[i] * (y[i] * (1 - y[i])) }
        case .tanh: for i in 0..<count { d[i] = g[i] * (1 - y[i] * y[i]) }
        case .gelu:
            for i in 0..<count {
                let v = x[i]
                d[i] = g[i] * (0.5 * (1 + Scalar.erf(v * Float(0.5).squareRoot()))
                    + v * Scalar.exp(-0.5 * v * v) / (2 * Float.pi).squareRoot())
            }
        case .logSigmoid: for i in 0..<count { d[i] = g[i] * Scalar.sigmoid(-x[i]) }
        case .leakyRelu(let slope): for i in 0..<count { d[i] = g[i] * (x[i] > 0 ? 1 : slope) }
        }
    }

    /// `out[i] = mask[i] > 0 ? value[i] : 0`, eight lanes at a time with no
    /// branch (a data-dependent branch mispredicts half the time on ReLU's
    /// signs); NaN in `mask` gives 0. `out` may be `value` itself.
    @inlinable
    static func select(_ value: UnsafePointer<Float>, where mask: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                       count: Int) {
        typealias V = SIMD8<Float>
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(value + i).loadUnaligned(as: V.self)
            let m = UnsafeRawPointer(mask + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: V().replacing(with: v, where: m .> 0), as: V.self)
            i += 8
        }
        while i < count {
            out[i] = mask[i] > 0 ? value[i] : 0
            i += 1
        }
    }
}
