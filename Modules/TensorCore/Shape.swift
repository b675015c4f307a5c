/// Shape arithmetic shared by every op: element counts, strides, axis
/// normalization and NumPy/PyTorch broadcasting.
public enum Shape {
    /// The number of elements of a tensor of this shape (1 for a scalar).
    @inlinable
    public static func count(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { n &*= d }
        return n
    }

    /// Row-major strides: the step in storage for a unit step along each axis.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// The storage offset of a full multi-index.
    public static func offset(of index: [Int], in shape: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var offset = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            offset = offset * d + i
        }
        return offset
    }

    /// Maps a possibly negative axis (`-1` is the last) into `0..<rank`.
    @inlinable
    public static func normalize(axis: Int, rank: Int) throws(TensorError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < max(rank, 1) else { throw .invalidAxis(axis: axis, rank: rank) }
        return a
    }

    /// Like `normalize(axis:rank:)` but traps on a bad axis (a programming error).
    @inlinable
    public static func axis(_ axis: Int, rank: Int) -> Int {
        do { return try normalize(axis: axis, rank: rank) } catch { preconditionFailure(error.description) }
    }

    /// The broadcast shape of two shapes, as NumPy and PyTorch define it: align
    /// trailing dimensions; each pair must be equal or contain a 1.
    @inlinable
    public static func broadcast(_ a: [Int], _ b: [Int]) throws(TensorError) -> [Int] {
        if a == b { return a }
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw .cannotBroadcast(a, b)
            }
        }
        return out
    }

    /// Strides that read a tensor of `shape` as if it had the (broadcast) shape
    /// `target`: broadcast axes get stride 0.
    @inlinable
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let lead = target.count - shape.count
        return (0..<target.count).map { i in
            i < lead || shape[i - lead] == 1 ? 0 : own[i - lead]
        }
    }

    /// Splits `shape` around `axis` into (outer, size, inner) extents, the
    /// layout every single-axis kernel (reductions, gather, concat) walks.
    @inlinable
    public static func split(_ shape: [Int], at axis: Int) -> (outer: Int, size: Int, inner: Int) {
        var outer = 1, inner = 1   // as `count`, over the slices, without copying them
        for d in shape[..<axis] { outer &*= d }
        for d in shape[(axis + 1)...] { inner &*= d }
        return (outer, shape[axis], inner)
    }
}
