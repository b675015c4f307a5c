/// Reductions over all elements or chosen axes.
///
/// Single-axis kernels view the tensor as `[outer, size, inner]` (see
/// `Shape.split`); multi-axis reductions apply them one axis at a time.
extension Tensor {
    /// Sum of all elements, accumulated in `Double`.
    @inlinable
    public func sum() -> Tensor {
        Tensor(scalars.withUnsafeBufferPointer { p in
            var total: Double = 0
            for x in p { total += Double(x) }
            return Float(total)
        })
    }

    /// Mean of all elements (NaN for an empty tensor, as PyTorch).
    @inlinable
    public func mean() -> Tensor { Tensor(sum().item / Float(count)) }

    /// Sums over `axes`; kept axes stay with extent 1 when `keepDims`.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        if axes.count == 1 {   // the common case (a bias gradient), without the set and sort
            let axis = Shape.axis(axes[0], rank: rank)
            var result = sumKeepingDim(axis)
            if !keepDims { result.shape.remove(at: axis) }
            return result
        }
        let normalized = Set(axes.map { Shape.axis($0, rank: rank) }).sorted(by: >)
        var result = self
        for axis in normalized { result = result.sumKeepingDim(axis) }
        return keepDims ? result : result.squeezing(normalized)
    }

    /// Means over `axes`; kept axes stay with extent 1 when `keepDims`.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = Set(axes.map { Shape.axis($0, rank: rank) }).reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDims: keepDims) / Float(n)
    }

    /// Sums along one axis, leaving it with extent 1.
    @usableFromInline
    func sumKeepingDim(_ axis: Int) -> Tensor {
        let (outer, size, inner) = Shape.split(shape, at: axis)
        var outShape = shape
        outShape[axis] = 1
        return scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: outShape) { dst in
                guard let base = src.baseAddress, let out = dst.baseAddress, size > 0 else { dst.update(repeating: 0); return }
                for o in 0..<outer {
                    RowKernels.sumColumns(of: base + o * size * inner, count: size, width: inner, into: out + o * inner)
                }
            }
        }
    }

    /// Drops the given (extent-1) axes.
    func squeezing(_ axes: [Int]) -> Tensor {
        var s = self
        s.shape = shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        return s
    }

    /// Maximum values and their first indices along `axis`, as `torch.max(x, dim)`.
    public func max(axis: Int, keepDims: Bool = false) -> (values: Tensor, indices: IndexTensor) {
        let axis = Shape.axis(axis, rank: rank)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        precondition(size > 0, "max over an empty axis of shape \(shape)")
        var values = [Float](repeating: -.infinity, count: outer * inner)
        var indices = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { src in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = src[o * size * inner + i], at = 0
                    for k in 1..<Swift.max(size, 1) {
                        let v = src[(o * size + k) * inner + i]
                        if v > best || (v.isNaN && !best.isNaN) { best = v; at = k }
                    }
                    values[o * inner + i] = best
                    indices[o * inner + i] = at
                }
            }
        }
        var outShape = shape
        if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        return (Tensor(shape: outShape, scalars: values), IndexTensor(shape: outShape, indices: indices))
    }

    /// Largest element.
    public func max() -> Float { scalars.max() ?? -.infinity }
    /// Smallest element.
    public func min() -> Float { scalars.min() ?? .infinity }

    /// Index of the largest value along `axis`.
    public func argmax(axis: Int = -1) -> IndexTensor { max(axis: axis).indices }

    /// `log Σ exp(x)` along `axis`, computed stably by subtracting the maximum.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let axis = Shape.axis(axis, rank: rank)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        var outShape = shape
        if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
        return scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: outShape) { dst in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var m = -Float.infinity
                        for k in 0..<size { m = Swift.max(m, src[(o * size + k) * inner + i]) }
                        if !m.isFinite { dst[o * inner + i] = m; continue }
                        var total: Float = 0
                        for k in 0..<size { total += Scalar.exp(src[(o * size + k) * inner + i] - m) }
                        dst[o * inner + i] = m + Scalar.log(total)
                    }
                }
            }
        }
    }

    /// `x − logsumexp(x)` along `axis`, computed as `(x − max) − log Σ exp(x − max)`
    /// so large inputs keep full precision.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        normalizedAlong(axis) { shifted, total in shifted - Scalar.log(total) }
    }

    /// `exp(x) / Σ exp(x)` along `axis`, computed from `exp(x − max)`.
    public func softmax(axis: Int = -1) -> Tensor {
        normalizedAlong(axis) { shifted, total in Scalar.exp(shifted) / total }
    }

    /// The shared softmax-family kernel: per slice along `axis`, passes each
    /// `x − max` and the slice's `Σ exp(x − max)` to `finish`.
    private func normalizedAlong(_ axis: Int, _ finish: (Float, Float) -> Float) -> Tensor {
        let axis = Shape.axis(axis, rank: rank)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        return scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: shape) { dst in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * size * inner + i
                        var m = -Float.infinity
                        for k in 0..<size { m = Swift.max(m, src[base + k * inner]) }
                        if m == -.infinity { m = 0 }
                        var total: Float = 0
                        for k in 0..<size { total += Scalar.exp(src[base + k * inner] - m) }
                        for k in 0..<size { dst[base + k * inner] = finish(src[base + k * inner] - m, total) }
                    }
                }
            }
        }
    }

    /// Sums away broadcast dimensions so the result has `target` shape: the
    /// adjoint of broadcasting `target` up to `self.shape`. Autograd uses this
    /// one function for every broadcast input.
    public func unbroadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        precondition(lead >= 0, "cannot unbroadcast \(shape) to \(target)")
        var axes = Array(0..<lead)
        for (i, d) in target.enumerated() where d == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        var result = sum(axes: axes, keepDims: true)
        result.shape = target
        return result
    }
}
