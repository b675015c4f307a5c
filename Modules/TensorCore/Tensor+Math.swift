#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Elementwise math functions, each written to stay finite where the naive
/// formula overflows (`sigmoid`, `softplus`, `logSigmoid` are exact for |x| = 1e4).
///
/// The scalar versions live in `Scalar` so Autograd's backward rules and the
/// loss kernels reuse exactly the same formulas.
public enum Scalar {
    /// `1 / (1 + e^-x)` without overflow for large |x|.
    @inlinable public static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
    /// `log(1 + e^x)`, computed as `max(x, 0) + log1p(e^-|x|)`.
    @inlinable public static func softplus(_ x: Float) -> Float {
        Swift.max(x, 0) + log1pf(expf(-Swift.abs(x)))
    }
    /// `log σ(x) = min(x, 0) - log1p(e^-|x|)`; note `log(1 - σ(x)) = logSigmoid(x) - x`.
    @inlinable public static func logSigmoid(_ x: Float) -> Float {
        Swift.min(x, 0) - log1pf(expf(-Swift.abs(x)))
    }
    /// The natural exponential.
    @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
    /// The natural logarithm.
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }
    /// `log(1 + x)`, accurate for small x.
    @inlinable public static func log1p(_ x: Float) -> Float { log1pf(x) }
    /// The hyperbolic tangent.
    @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }
    /// The error function.
    @inlinable public static func erf(_ x: Float) -> Float { erff(x) }
    /// `x` to the power `y`.
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    /// The square root.
    @inlinable public static func sqrt(_ x: Float) -> Float { sqrtf(x) }
}

extension Tensor {
    /// `e^x` elementwise.
    @inlinable public func exp() -> Tensor { map(Scalar.exp) }
    /// Natural log elementwise (`-inf` at 0, NaN below 0, as PyTorch).
    @inlinable public func log() -> Tensor { map(Scalar.log) }
    /// `log(1 + x)` elementwise.
    @inlinable public func log1p() -> Tensor { map(Scalar.log1p) }
    /// Square root elementwise.
    @inlinable public func sqrt() -> Tensor { map(Scalar.sqrt) }
    /// Absolute value elementwise.
    @inlinable public func abs() -> Tensor { map { Swift.abs($0) } }
    /// Sign elementwise: -1, 0 or 1.
    @inlinable public func sign() -> Tensor { map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }
    /// Logistic sigmoid elementwise, stable for large |x|.
    @inlinable public func sigmoid() -> Tensor { map(Scalar.sigmoid) }
    /// Hyperbolic tangent elementwise.
    @inlinable public func tanh() -> Tensor { map(Scalar.tanh) }
    /// `max(x, 0)` elementwise.
    @inlinable public func relu() -> Tensor { map { $0 > 0 ? $0 : 0 } }
    /// `log(1 + e^x)` elementwise, stable for large |x|.
    @inlinable public func softplus() -> Tensor { map(Scalar.softplus) }
    /// `log σ(x)` elementwise, stable for large |x|.
    @inlinable public func logSigmoid() -> Tensor { map(Scalar.logSigmoid) }
}

extension Float {
    /// `x` to the power `y` (C `powf`).
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
}
