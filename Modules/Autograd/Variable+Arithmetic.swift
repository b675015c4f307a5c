import TensorCore

/// Differentiable arithmetic. Broadcasting follows `Tensor`; the backward rules
/// return full-shape gradients and `backward()` un-broadcasts them.
extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, inputs: [a, b], rules: [{ $0 }, { $0 }])
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, inputs: [a, b], rules: [{ $0 }, { -$0 }])
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, inputs: [a, b], rules: [{ $0 * b.value }, { $0 * a.value }])
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        let out = a.value / b.value
        return Variable(out, inputs: [a, b], rules: [{ $0 / b.value }, { -$0 * out / b.value }])
    }

    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, inputs: [a], rules: [{ -$0 }])
    }

    public static func + (a: Variable, s: Float) -> Variable { Variable(a.value + s, inputs: [a], rules: [{ $0 }]) }
    public static func - (a: Variable, s: Float) -> Variable { Variable(a.value - s, inputs: [a], rules: [{ $0 }]) }
    public static func * (a: Variable, s: Float) -> Variable { Variable(a.value * s, inputs: [a], rules: [{ $0 * s }]) }
    public static func / (a: Variable, s: Float) -> Variable { Variable(a.value / s, inputs: [a], rules: [{ $0 / s }]) }
    public static func + (s: Float, a: Variable) -> Variable { a + s }
    public static func - (s: Float, a: Variable) -> Variable { Variable(s - a.value, inputs: [a], rules: [{ -$0 }]) }
    public static func * (s: Float, a: Variable) -> Variable { a * s }
    public static func / (s: Float, a: Variable) -> Variable {
        let out = s / a.value
        return Variable(out, inputs: [a], rules: [{ -$0 * out / a.value }])
    }

    /// `self ** exponent` elementwise.
    public func pow(_ exponent: Float) -> Variable {
        let x = value
        return Variable(x.pow(exponent), inputs: [self], rules: [{ $0 * exponent * x.pow(exponent - 1) }])
    }

    /// Elementwise larger of two variables; the gradient goes to the larger
    /// (to both halves where equal, as PyTorch's `maximum`).
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable {
        let share = Tensor.zip(a.value, b.value) { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
        return Variable(Tensor.maximum(a.value, b.value), inputs: [a, b],
                        rules: [{ $0 * share }, { $0 * (1 - share) }])
    }

    /// `op(a) · op(b)` for rank-2 variables, through BLAS.
    /// - Parameters: a `[m, k]` (`[k, m]` if `transposeA`), b `[k, n]` (`[n, k]` if `transposeB`).
    /// - Returns: `[m, n]`.
    public static func matmul(_ a: Variable, _ b: Variable,
                              transposeA: Bool = false, transposeB: Bool = false) throws(TensorError) -> Variable {
        let out = try Tensor.matmul(a.value, b.value, transposeA: transposeA, transposeB: transposeB)
        // d/dA of A·B is G·Bᵀ; with transposed operands the same identity, rearranged.
        let gradA: (Tensor) -> Tensor = { g in
            transposeA ? try! Tensor.matmul(b.value, g, transposeA: transposeB, transposeB: true)
                       : try! Tensor.matmul(g, b.value, transposeB: !transposeB)
        }
        let gradB: (Tensor) -> Tensor = { g in
            transposeB ? try! Tensor.matmul(g, a.value, transposeA: true, transposeB: transposeA)
                       : try! Tensor.matmul(a.value, g, transposeA: !transposeA)
        }
        return Variable(out, inputs: [a, b], rules: [gradA, gradB])
    }

    /// `self · other` for rank-2 variables; traps on mismatched shapes.
    public func matmul(_ other: Variable) -> Variable {
        do { return try Variable.matmul(self, other) } catch { preconditionFailure(error.description) }
    }
}
