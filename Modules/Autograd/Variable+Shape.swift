import TensorCore

/// Differentiable reshaping, transposition, slicing, concatenation and gathering.
extension Variable {
    /// The same values under a new shape (one `-1` is inferred).
    public func reshaped(_ shape: [Int]) throws(TensorError) -> Variable {
        let original = value.shape
        return Variable(try value.reshaped(shape), inputs: [self], rules: [{ $0.reshaped(to: original) }])
    }

    /// Flattens all axes after the first: `[N, …]` → `[N, D]`.
    public func flattened() -> Variable {
        let n = value.rank == 0 ? 1 : value.shape[0]
        return try! reshaped([n, n == 0 ? 0 : -1])
    }

    /// Axes reordered as `torch.permute`; the gradient applies the inverse permutation.
    public func permuted(_ axes: [Int]) -> Variable {
        let axes = axes.map { Shape.axis($0, rank: value.rank) }
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return Variable(value.permuted(axes), inputs: [self], rules: [{ $0.permuted(inverse) }])
    }

    /// Swaps the last two axes.
    public func transposed() -> Variable {
        var axes = Array(0..<value.rank)
        axes.swapAt(value.rank - 1, value.rank - 2)
        return permuted(axes)
    }

    /// Rows `range` of the first axis.
    public func rows(_ range: Range<Int>) -> Variable {
        let shape = value.shape
        return Variable(value.rows(range), inputs: [self], rules: [{ g in
            let before = Tensor.zeros([range.lowerBound] + shape.dropFirst())
            let after = Tensor.zeros([shape[0] - range.upperBound] + shape.dropFirst())
            return Tensor.concatenate([before, g, after], axis: 0)
        }])
    }

    /// Joins variables along `axis`; each gets back its slice of the gradient.
    public static func concatenate(_ parts: [Variable], axis: Int = 0) -> Variable {
        let axis = Shape.axis(axis, rank: parts[0].value.rank)
        let sizes = parts.map { $0.value.shape[axis] }
        let rules: [(Tensor) -> Tensor] = sizes.indices.map { i in
            let start = sizes[..<i].reduce(0, +), size = sizes[i]
            return { g in g.slice(axis: axis, start: start, count: size) }
        }
        return Variable(Tensor.concatenate(parts.map(\.value), axis: axis), inputs: parts, rules: rules)
    }

    /// Values picked along `axis` by `indices`, as `torch.gather`; the gradient
    /// is scattered back (summed where an index repeats).
    public func gathering(axis: Int, indices: IndexTensor) throws(TensorError) -> Variable {
        let shape = value.shape
        return Variable(try value.gathering(axis: axis, indices: indices), inputs: [self], rules: [{ g in
            Tensor.scatterAdding(g, into: shape, axis: axis, indices: indices)
        }])
    }
}

extension Tensor {
    /// `count` entries along `axis` starting at `start`.
    public func slice(axis: Int, start: Int, count n: Int) -> Tensor {
        let axis = Shape.axis(axis, rank: rank)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        var outShape = shape
        outShape[axis] = n
        var out = [Float]()
        out.reserveCapacity(outer * n * inner)
        for o in 0..<outer {
            let from = (o * size + start) * inner
            out.append(contentsOf: scalars[from..<(from + n * inner)])
        }
        return Tensor(shape: outShape, scalars: out)
    }
}
