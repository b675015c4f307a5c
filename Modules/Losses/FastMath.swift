import TensorCore

/// Vector kernels for the hot loops of the losses.
enum FastMath {
    /// Writes `e[i] = exp(x[i] − shift)` and returns `Σ e[i]`.
    @inline(__always)
    static func expShifted(_ x: UnsafeBufferPointer<Float>, by shift: Float, into e: UnsafeMutableBufferPointer<Float>) -> Float {
        var s: Float = 0
        for i in 0..<x.count { let v = Scalar.exp(x[i] - shift); e[i] = v; s += v }
        return s
    }

    /// `Σ exp(x[i] − shift)`.
    @inline(__always)
    static func sumExpShifted(_ x: UnsafeBufferPointer<Float>, by shift: Float) -> Float {
        var s: Float = 0
        for v in x { s += Scalar.exp(v - shift) }
        return s
    }
}
