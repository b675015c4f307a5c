import Dispatch
import TensorCore

/// Vector math for the hot loss loops: `exp` and `log1p` on 8 lanes
/// (Cephes polynomials, ≤ 2 ulp on the ranges used) and a two-way split of
/// long loops over the cores.
enum FastMath {
    typealias V = SIMD8<Float>

    /// `eˣ` per lane; inputs are clamped to `[−87.3, 88.7]`, so very negative
    /// inputs give ~1e-38 instead of 0 (harmless in sums and sigmoids).
    @inline(__always)
    static func exp(_ x: V) -> V {
        var x = x.replacing(with: -87.3, where: x .< -87.3)
        x = x.replacing(with: 88.7, where: x .> 88.7)
        // Round x·log2(e) to the nearest integer n with the 1.5·2²³ trick: the
        // integer then sits in the low mantissa bits of t.
        let t = x * 1.44269504088896341 + 12582912
        let n = t - 12582912
        let r = x - n * 0.693359375 + n * 2.12194440e-4
        var p: V = V(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * r * r + r + 1
        let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000      // bit pattern of 12582912
        return p * unsafeBitCast((ni &+ 127) &<< 23, to: V.self)
    }

    /// Lane-wise larger value.
    @inline(__always)
    static func max(_ a: V, _ b: V) -> V { a.replacing(with: b, where: b .> a) }

    /// `|x|` per lane.
    @inline(__always)
    static func abs(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }

    /// `log(1 + e)` per lane for `e ∈ [0, 1]`, without forming `1 + e` (so
    /// tiny `e` keeps full precision): with `1 + e = 2ᵏ (1 + f)`, `f = e` when
    /// `1 + e ≤ √2`, else `k = 1`, `f = (e − 1) / 2`; then Cephes' `log(1 + f)`.
    @inline(__always)
    static func log1p(_ e: V) -> V {
        let big = e .> 0.41421356
        let f = e.replacing(with: (e - 1) * 0.5, where: big)
        let k = V(repeating: 0).replacing(with: 1, where: big)
        let z = f * f
        var y: V = V(repeating: 7.0376836292e-2)
        y = y * f - 1.1514610310e-1
        y = y * f + 1.1676998740e-1
        y = y * f - 1.2420140846e-1
        y = y * f + 1.4249322787e-1
        y = y * f - 1.6668057665e-1
        y = y * f + 2.0000714765e-1
        y = y * f - 2.4999993993e-1
        y = y * f + 3.3333331174e-1
        y = y * z * f - k * 2.12194440e-4 - 0.5 * z
        return f + y + k * 0.693359375
    }

    /// Writes `e[i] = exp(x[i] − shift)` and returns `Σ e[i]`.
    @inline(__always)
    static func expShifted(_ x: UnsafeBufferPointer<Float>, by shift: Float, into e: UnsafeMutableBufferPointer<Float>) -> Float {
        var acc = V(), i = 0
        let n = x.count, px = x.baseAddress!, pe = e.baseAddress!
        while i + 8 <= n {
            let v = exp(UnsafeRawPointer(px + i).loadUnaligned(as: V.self) - shift)
            UnsafeMutableRawPointer(pe + i).storeBytes(of: v, as: V.self)
            acc += v
            i += 8
        }
        var s = acc.sum()
        while i < n { let v = Scalar.exp(px[i] - shift); pe[i] = v; s += v; i += 1 }
        return s
    }

    /// `Σ exp(x[i] − shift)`.
    @inline(__always)
    static func sumExpShifted(_ x: UnsafeBufferPointer<Float>, by shift: Float) -> Float {
        var acc = V(), i = 0
        let n = x.count, px = x.baseAddress!
        while i + 8 <= n { acc += exp(UnsafeRawPointer(px + i).loadUnaligned(as: V.self) - shift); i += 8 }
        var s = acc.sum()
        while i < n { s += Scalar.exp(px[i] - shift); i += 1 }
        return s
    }

    /// `max x[i]` (NaN if any is NaN, as PyTorch's softmax propagates it).
    @inline(__always)
    static func max(_ x: UnsafeBufferPointer<Float>) -> Float {
        var acc = V(repeating: -.infinity), nan = false, i = 0
        let n = x.count, px = x.baseAddress!
        while i + 8 <= n {
            let v = UnsafeRawPointer(px + i).loadUnaligned(as: V.self)
            nan = nan || any(v .!= v)
            acc = max(acc, v)
            i += 8
        }
        var m = acc.max()
        while i < n { m = Swift.max(m, px[i]); nan = nan || px[i].isNaN; i += 1 }
        return nan ? .nan : m
    }

    /// Runs `body(range)` over `0..<count` split into chunks, in parallel when
    /// the work is large, and adds the chunk results in order (left to right).
    /// One chunk runs inline, without allocating.
    static func parallelSum(_ count: Int, minimumPerChunk: Int = 1 << 15, _ body: (Range<Int>) -> Double) -> Double {
        let chunks = Parallel.chunkCount(count, minimumPerChunk: minimumPerChunk, maxChunks: 4)
        if chunks == 1 { return 0 + body(0..<count) }
        // Each chunk writes only its own slot; the caller's buffers are split the same way.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks)
        results.initialize(repeating: 0)
        defer { results.deallocate() }
        Parallel.forEachChunk(count, minimumPerChunk: minimumPerChunk, maxChunks: 4) { c, range in results[c] = body(range) }
        return results.reduce(0, +)
    }
}
