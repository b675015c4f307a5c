/// Reshaping, transposition, slicing, concatenation and gathering.
extension Tensor {
    /// The same values under a new shape; one dimension may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        var target = newShape
        if let hole = target.firstIndex(of: -1) {
            let known = target.enumerated().filter { $0.offset != hole }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else { throw .cannotReshape(from: shape, to: newShape) }
            target[hole] = count / known
        }
        guard target.allSatisfy({ $0 >= 0 }), Shape.count(target) == count else {
            throw .cannotReshape(from: shape, to: newShape)
        }
        var copy = self
        copy.shape = target
        return copy
    }

    /// `reshaped(_:)` for shapes known to fit; traps otherwise.
    public func reshaped(to newShape: [Int]) -> Tensor {
        do { return try reshaped(newShape) } catch { preconditionFailure(error.description) }
    }

    /// The values broadcast (repeated along extent-1 or missing leading axes) to `target`.
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        return Tensor.zip(Tensor.zeros(target), self) { _, x in x }
    }

    /// Axes reordered: result axis `i` is input axis `axes[i]`, as `torch.permute`.
    public func permuted(_ axes: [Int]) -> Tensor {
        let axes = axes.map { Shape.axis($0, rank: rank) }
        precondition(axes.sorted() == Array(0..<rank), "permutation \(axes) is not a permutation of 0..<\(rank)")
        let outShape = axes.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let strides = axes.map { inStrides[$0] }
        return scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: outShape) { dst in
                var index = [Int](repeating: 0, count: rank)
                var offset = 0
                for o in 0..<dst.count {
                    dst[o] = src[offset]
                    var d = rank - 1
                    while d >= 0 {
                        index[d] += 1; offset += strides[d]
                        if index[d] < outShape[d] { break }
                        offset -= strides[d] * outShape[d]; index[d] = 0
                        d -= 1
                    }
                }
            }
        }
    }

    /// The matrix transpose of a rank-2 tensor (or swap of the last two axes).
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transpose needs rank ≥ 2, shape is \(shape)")
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return permuted(axes)
    }

    /// Rows `range` along the first (batch) axis.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of range for shape \(shape)")
        let width = count / Swift.max(shape[0], 1)
        var outShape = shape
        outShape[0] = range.count
        return Tensor(shape: outShape, scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// The rows at `indices` along the first axis, in that order (`x[indices]`).
    public func selectingRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "selectingRows needs rank ≥ 1")
        let width = count / Swift.max(shape[0], 1)
        var outShape = shape
        outShape[0] = indices.count
        return scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: outShape) { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < shape[0], "row \(i) out of range for \(shape[0]) rows")
                    for j in 0..<width { dst[r * width + j] = src[i * width + j] }
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other extents must agree.
    public static func concatenate(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "concatenate needs at least one tensor")
        let first = parts[0]
        let axis = Shape.axis(axis, rank: first.rank)
        for p in parts {
            var a = p.shape, b = first.shape
            precondition(a.count == b.count, "cannot concatenate \(p.shape) with \(first.shape)")
            a[axis] = 0; b[axis] = 0
            precondition(a == b, "cannot concatenate \(p.shape) with \(first.shape) along axis \(axis)")
        }
        var outShape = first.shape
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let (outer, _, inner) = Shape.split(outShape, at: axis)
        var out = [Float]()
        out.reserveCapacity(Shape.count(outShape))
        for o in 0..<outer {
            for p in parts {
                let chunk = p.shape[axis] * inner
                out.append(contentsOf: p.scalars[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        return Tensor(shape: outShape, scalars: out)
    }

    /// Values picked along `axis` by `indices`, as `torch.gather`:
    /// `out[..., j, ...] = self[..., indices[..., j, ...], ...]`. `indices` has
    /// this tensor's rank and extents except along `axis`.
    public func gathering(axis: Int, indices: IndexTensor) throws(TensorError) -> Tensor {
        let axis = try Shape.normalize(axis: axis, rank: rank)
        var expected = shape
        expected[axis] = indices.shape.count == rank ? indices.shape[axis] : -1
        guard indices.shape == expected else { throw .cannotBroadcast(indices.shape, shape) }
        let (outer, size, inner) = Shape.split(shape, at: axis)
        let k = indices.shape[axis]
        var out = [Float](repeating: 0, count: indices.count)
        for o in 0..<outer {
            for j in 0..<k {
                for i in 0..<inner {
                    let at = (o * k + j) * inner + i
                    let c = indices.indices[at]
                    guard c >= 0 && c < size else { throw .indexOutOfRange(index: c, size: size) }
                    out[at] = scalars[(o * size + c) * inner + i]
                }
            }
        }
        return Tensor(shape: indices.shape, scalars: out)
    }

    /// The adjoint of `gathering`: a zero tensor of `shape` with `values` added at the
    /// gathered positions (`torch.scatter_add`).
    public static func scatterAdding(
        _ values: Tensor, into shape: [Int], axis: Int, indices: IndexTensor
    ) -> Tensor {
        let axis = Shape.axis(axis, rank: shape.count)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        let k = indices.shape[axis]
        var out = [Float](repeating: 0, count: Shape.count(shape))
        for o in 0..<outer {
            for j in 0..<k {
                for i in 0..<inner {
                    let at = (o * k + j) * inner + i
                    out[(o * size + indices.indices[at]) * inner + i] += values.scalars[at]
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}
