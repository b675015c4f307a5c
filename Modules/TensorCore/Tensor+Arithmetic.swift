/// Elementwise arithmetic with NumPy/PyTorch broadcasting.
///
/// Every binary op goes through `Tensor.zip(_:_:_:)`, the one broadcasting
/// kernel: it has fast paths for equal shapes, scalar operands and an operand
/// repeated along the other's leading axes (`[N, C] + [C]`), and walks any
/// other pair of broadcastable shapes with stride-0 axes, one inner row at a time.
extension Tensor {
    /// Applies `op` to each element.
    @inlinable
    public func map(_ op: (Float) -> Float) -> Tensor {
        scalars.withUnsafeBufferPointer { src in
            Tensor.build(shape: shape) { dst in
                for i in 0..<src.count { dst[i] = op(src[i]) }
            }
        }
    }

    /// Combines `a` and `b` elementwise with `op`, broadcasting their shapes.
    /// - Precondition: the shapes broadcast (see `Shape.broadcast`).
    @inlinable
    public static func zip(_ a: Tensor, _ b: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
        let shape: [Int]
        do { shape = try Shape.broadcast(a.shape, b.shape) } catch { preconditionFailure(error.description) }
        return a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                Tensor.build(shape: shape) { out in
                    let n = out.count
                    if a.shape == b.shape {
                        for i in 0..<n { out[i] = op(pa[i], pb[i]) }
                    } else if pb.count == 1 {
                        let y = pb[0]
                        for i in 0..<n { out[i] = op(pa[i % pa.count], y) }
                    } else if pa.count == 1 {
                        let x = pa[0]
                        for i in 0..<n { out[i] = op(x, pb[i % pb.count]) }
                    } else if n > 0 && shape == a.shape && a.shape.suffix(b.rank).elementsEqual(b.shape) {
                        // b repeats along a's leading axes (`[N, C] + [C]`): row by row, both contiguous.
                        let inner = pb.count
                        for o in stride(from: 0, to: n, by: inner) { for j in 0..<inner { out[o + j] = op(pa[o + j], pb[j]) } }
                    } else if n > 0 && shape == b.shape && b.shape.suffix(a.rank).elementsEqual(a.shape) {
                        let inner = pa.count
                        for o in stride(from: 0, to: n, by: inner) { for j in 0..<inner { out[o + j] = op(pa[j], pb[o + j]) } }
                    } else if n > 0 {
                        zipStrided(shape, a.shape, pa, b.shape, pb, out, op)
                    }
                }
            }
        }
    }

    /// The general broadcasting walk: the innermost axis is a tight loop, the
    /// outer axes advance an odometer of offsets.
    @inlinable
    static func zipStrided(
        _ shape: [Int], _ shapeA: [Int], _ pa: UnsafeBufferPointer<Float>,
        _ shapeB: [Int], _ pb: UnsafeBufferPointer<Float>,
        _ out: UnsafeMutableBufferPointer<Float>, _ op: (Float, Float) -> Float
    ) {
        let rank = shape.count
        let sa = Shape.broadcastStrides(shapeA, to: shape)
        let sb = Shape.broadcastStrides(shapeB, to: shape)
        let inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var offA = 0, offB = 0, o = 0
        while o < out.count {
            for j in 0..<inner { out[o + j] = op(pa[offA + j * ia], pb[offB + j * ib]) }
            o += inner
            var d = rank - 2
            while d >= 0 {
                index[d] += 1; offA += sa[d]; offB += sb[d]
                if index[d] < shape[d] { break }
                offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d]; index[d] = 0
                d -= 1
            }
        }
    }

    /// Adds `other` into `self` in place when the shapes are equal (no
    /// allocation); otherwise falls back to a broadcast add.
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        guard shape == other.shape else { self = Tensor.zip(self, other) { $0 + alpha * $1 }; return }
        other.scalars.withUnsafeBufferPointer { src in
            scalars.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] += alpha * src[i] }
            }
        }
    }

    @inlinable public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, +) }
    @inlinable public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, -) }
    @inlinable public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, *) }
    @inlinable public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, /) }
    @inlinable public static func + (a: Tensor, s: Float) -> Tensor { a.map { $0 + s } }
    @inlinable public static func - (a: Tensor, s: Float) -> Tensor { a.map { $0 - s } }
    @inlinable public static func * (a: Tensor, s: Float) -> Tensor { a.map { $0 * s } }
    @inlinable public static func / (a: Tensor, s: Float) -> Tensor { a.map { $0 / s } }
    @inlinable public static func + (s: Float, a: Tensor) -> Tensor { a.map { s + $0 } }
    @inlinable public static func - (s: Float, a: Tensor) -> Tensor { a.map { s - $0 } }
    @inlinable public static func * (s: Float, a: Tensor) -> Tensor { a.map { s * $0 } }
    @inlinable public static func / (s: Float, a: Tensor) -> Tensor { a.map { s / $0 } }
    @inlinable public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }
    public static func += (a: inout Tensor, b: Tensor) { a.add(b) }
    public static func -= (a: inout Tensor, b: Tensor) { a.add(b, scaledBy: -1) }
    public static func *= (a: inout Tensor, s: Float) {
        a.scalars.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= s } }
    }

    /// Elementwise larger of two tensors (broadcast).
    @inlinable public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b) { Swift.max($0, $1) } }
    /// Elementwise smaller of two tensors (broadcast).
    @inlinable public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { zip(a, b) { Swift.min($0, $1) } }

    /// Elementwise power `self ** exponent`.
    @inlinable public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return map { $0 * $0 } }
        return map { Float.pow($0, exponent) }
    }

    /// Values limited to `[min, max]` (either bound may be omitted), as `torch.clamp`.
    @inlinable
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        map { Swift.min(Swift.max($0, lower), upper) }
    }

    // MARK: Comparisons (1 where true, 0 where false)

    @inlinable public static func .> (a: Tensor, b: Tensor) -> Tensor { zip(a, b) { $0 > $1 ? 1 : 0 } }
    @inlinable public static func .< (a: Tensor, b: Tensor) -> Tensor { zip(a, b) { $0 < $1 ? 1 : 0 } }
    @inlinable public static func .>= (a: Tensor, b: Tensor) -> Tensor { zip(a, b) { $0 >= $1 ? 1 : 0 } }
    @inlinable public static func .<= (a: Tensor, b: Tensor) -> Tensor { zip(a, b) { $0 <= $1 ? 1 : 0 } }
    @inlinable public static func .== (a: Tensor, b: Tensor) -> Tensor { zip(a, b) { $0 == $1 ? 1 : 0 } }
    @inlinable public static func .> (a: Tensor, s: Float) -> Tensor { a.map { $0 > s ? 1 : 0 } }
    @inlinable public static func .< (a: Tensor, s: Float) -> Tensor { a.map { $0 < s ? 1 : 0 } }
    @inlinable public static func .>= (a: Tensor, s: Float) -> Tensor { a.map { $0 >= s ? 1 : 0 } }
    @inlinable public static func .<= (a: Tensor, s: Float) -> Tensor { a.map { $0 <= s ? 1 : 0 } }

    /// Picks from `a` where `condition` is non-zero and from `b` elsewhere; all
    /// three broadcast together, as `torch.where`.
    @inlinable
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let picked = zip(condition, a) { $0 != 0 ? $1 : 0 }
        let other = zip(condition, b) { $0 != 0 ? 0 : $1 }
        return zip(picked, other) { $0 + $1 }
    }

    /// True when every pair of elements is within `atol + rtol * |b|`.
    public func isClose(to other: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6) -> Bool {
        guard shape == other.shape else { return false }
        return Swift.zip(scalars, other.scalars).allSatisfy { x, y in
            x == y || Swift.abs(x - y) <= atol + rtol * Swift.abs(y)
        }
    }
}

