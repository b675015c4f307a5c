import TensorCore

/// Differentiable reductions: the gradient of a reduced value is spread back
/// over the elements that produced it.
extension Variable {
    /// Sum of all elements → shape `[]`.
    public func sum() -> Variable {
        let shape = value.shape
        return Variable(value.sum(), inputs: [self], rules: [{ $0.broadcast(to: shape) }])
    }

    /// Mean of all elements → shape `[]`.
    public func mean() -> Variable {
        let shape = value.shape, n = Float(value.count)
        return Variable(value.mean(), inputs: [self], rules: [{ ($0 / n).broadcast(to: shape) }])
    }

    /// Sums over `axes` (kept with extent 1 when `keepDims`).
    public func sum(axes: [Int], keepDims: Bool = false) -> Variable {
        let shape = value.shape
        let kept = keptShape(axes)
        return Variable(value.sum(axes: axes, keepDims: keepDims), inputs: [self],
                        rules: [{ $0.reshaped(to: kept).broadcast(to: shape) }])
    }

    /// Means over `axes` (kept with extent 1 when `keepDims`).
    public func mean(axes: [Int], keepDims: Bool = false) -> Variable {
        let n = Float(value.count) / Float(Swift.max(Shape.count(keptShape(axes)), 1))
        return sum(axes: axes, keepDims: keepDims) / n
    }

    /// Maximum along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Variable {
        let axis = Shape.axis(axis, rank: value.rank)
        let (values, indices) = value.max(axis: axis, keepDims: true)
        let shape = value.shape
        let out = keepDims ? values : values.reshaped(to: indices.shape.enumerated().filter { $0.offset != axis }.map(\.element))
        return Variable(out, inputs: [self], rules: [{ g in
            Tensor.scatterAdding(g.reshaped(to: values.shape), into: shape, axis: axis, indices: indices)
        }])
    }

    /// `log Σ exp(x)` along `axis`, stable; gradient softmax(x) · g.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Variable {
        let axis = Shape.axis(axis, rank: value.rank)
        let x = value, lse = x.logSumExp(axis: axis, keepDims: true)
        let kept = lse.shape
        return Variable(keepDims ? lse : x.logSumExp(axis: axis), inputs: [self],
                        rules: [{ g in g.reshaped(to: kept) * (x - lse).exp() }])
    }

    /// `x − logsumexp(x)` along `axis`; gradient g − softmax · Σg.
    public func logSoftmax(axis: Int = -1) -> Variable {
        let axis = Shape.axis(axis, rank: value.rank)
        let y = value.logSoftmax(axis: axis)
        return Variable(y, inputs: [self], rules: [{ g in g - y.exp() * g.sum(axes: [axis], keepDims: true) }])
    }

    /// `exp(x) / Σ exp(x)` along `axis`; gradient s · (g − Σ g·s).
    public func softmax(axis: Int = -1) -> Variable {
        let axis = Shape.axis(axis, rank: value.rank)
        let s = value.softmax(axis: axis)
        return Variable(s, inputs: [self], rules: [{ g in s * (g - (g * s).sum(axes: [axis], keepDims: true)) }])
    }

    /// This value's shape with `axes` set to extent 1.
    private func keptShape(_ axes: [Int]) -> [Int] {
        var kept = value.shape
        for a in axes { kept[Shape.axis(a, rank: value.rank)] = 1 }
        return kept
    }
}
