/// The arithmetic of `MaxPool2d` on raw NCHW buffers, shared by the autograd graph
/// (`Variable.maxPool2d`) and the layer's buffered form. Forward keeps, for every
/// output, the offset in its sample of the input it took (the first largest of its
/// window; NaN counts as largest); backward sends each output's gradient there.
/// Samples are split over the cores; nothing allocates.
public enum MaxPool2DKernel {
    /// `y[s, c, oy, ox] = max of window (oy, ox) of x[s, c]`, and its offset in `argmax`.
    /// - Shapes: `x [N, C·H·W]`, `y` and `argmax` `[N, C·Ho·Wo]`.
    public static func forward(channels: Int, height: Int, width: Int, _ window: Window2D, samples: Int,
                               x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        var job = Job(channels: channels, height: height, width: width, window: window, input: x, output: y, argmax: argmax)
        PerSample.run(samples: samples, with: &job) { context, s, _, _ in
            let j = PerSample.arguments(Job.self, at: context)
            let (h, w, k, stride) = (j.height, j.width, j.window.kernel, j.window.stride)
            let ho = j.window.output(h), wo = j.window.output(w)
            let x = j.input + s * j.channels * h * w, y = j.output + s * j.channels * ho * wo
            let picked = j.argmax + s * j.channels * ho * wo
            for c in 0..<j.channels {
                for oy in 0..<ho {
                    let out = y + (c * ho + oy) * wo, at = picked + (c * ho + oy) * wo
                    let top = (c * h + oy * stride) * w
                    if k == 2 && stride == 2 {   // the common 2×2 window, eight outputs at a time
                        MaxPool2DKernel.pool2x2(x, count: j.channels * h * w, rowStart: top, width: w, outputs: wo, into: out, choices: at)
                        continue
                    }
                    // The window's first entry, then each other entry row by row: the
                    // inner loops run along ox, branch-free, so they vectorize.
                    for ox in 0..<wo {
                        out[ox] = x[top + ox * stride]
                        at[ox] = Int32(top + ox * stride)
                    }
                    for i in 0..<k {
                        for jj in 0..<k where i > 0 || jj > 0 {
                            let base = top + i * w + jj
                            for ox in 0..<wo {
                                let v = x[base + ox * stride], best = out[ox]
                                let take = v > best || (v != v && best == best)
                                out[ox] = take ? v : best
                                at[ox] = take ? Int32(base + ox * stride) : at[ox]
                            }
                        }
                    }
                }
            }
        }
    }

    /// `dx` (overwritten) gets each output's gradient at the input it took, 0 elsewhere.
    /// With `relu` (this pooling's input `x` being a ReLU's output, `y` its forward's
    /// output), the gradient is kept only where that input is positive: the ReLU's
    /// backward in the same pass, so the result is the ReLU's input gradient, with the
    /// same values as the two passes. When the windows are disjoint (stride ≥ kernel),
    /// the test reads `y` (the chosen input's value) rather than the 4× larger `x`.
    /// - Shapes: `dy`, `argmax` and `relu.y` `[N, C·Ho·Wo]`, `dx` and `relu.x` `[N, C·H·W]`.
    public static func backward(channels: Int, height: Int, width: Int, _ window: Window2D, samples: Int,
                                dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>,
                                relu: (x: UnsafePointer<Float>, y: UnsafePointer<Float>)? = nil) {
        var job = Job(channels: channels, height: height, width: width, window: window, input: dy, output: dx,
                      argmax: UnsafeMutablePointer(mutating: argmax), mask: relu?.x, pooled: relu?.y)
        PerSample.run(samples: samples, with: &job) { context, s, _, _ in
            let j = PerSample.arguments(Job.self, at: context)
            let (h, w, k) = (j.height, j.width, j.window.kernel), ho = j.window.output(h), wo = j.window.output(w)
            let inputs = j.channels * h * w, outputs = j.channels * ho * wo
            let d = j.output + s * inputs, g = j.input + s * outputs, picked = j.argmax + s * outputs
            let mask = j.mask.map { $0 + s * inputs }, pooled = j.pooled.map { $0 + s * outputs }
            d.update(repeating: 0, count: inputs)
            if let pooled, j.window.stride >= k {   // disjoint windows: one term per input at most
                for slot in 0..<outputs { d[Int(picked[slot])] += pooled[slot] > 0 ? g[slot] : 0 }
                return
            }
            for slot in 0..<outputs { d[Int(picked[slot])] += g[slot] }
            if let mask { ActivationFunction.select(d, where: mask, into: d, count: inputs) }
        }
    }

    /// One output row of a 2×2, stride-2 window: `wo` outputs from input rows
    /// `rowStart` and `rowStart + width` of `x` (`count` values readable), eight at a
    /// time in SIMD lanes (a last, partial group redone overlapping the one before,
    /// with the same results). Rows of fewer than 8 outputs go through the same lanes,
    /// their extra lanes read past the row (the next row's values, discarded) or, at
    /// the end of `x`, from a padded copy.
    @inline(__always)
    static func pool2x2(_ x: UnsafePointer<Float>, count: Int, rowStart top: Int, width w: Int, outputs wo: Int,
                        into out: UnsafeMutablePointer<Float>, choices at: UnsafeMutablePointer<Int32>) {
        guard wo >= 8 else {
            var rows = (SIMD16<Float>(), SIMD16<Float>())
            if top + w + 16 <= count {
                rows = (UnsafeRawPointer(x + top).loadUnaligned(as: SIMD16<Float>.self),
                        UnsafeRawPointer(x + top + w).loadUnaligned(as: SIMD16<Float>.self))
            } else {
                withUnsafeMutableBytes(of: &rows) { raw in
                    let lanes = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                    for i in 0..<(2 * wo) { (lanes[i], lanes[16 + i]) = (x[top + i], x[top + w + i]) }
                }
            }
            let (best, index) = pool8(rows.0, rows.1, at: top, width: w)
            for ox in 0..<wo { (out[ox], at[ox]) = (best[ox], index[ox]) }
            return
        }
        var start = 0
        while start < wo {
            let first = Swift.min(start, wo - 8), p = top + 2 * first
            let upper = UnsafeRawPointer(x + p).loadUnaligned(as: SIMD16<Float>.self)
            let lower = UnsafeRawPointer(x + p + w).loadUnaligned(as: SIMD16<Float>.self)
            let (best, index) = pool8(upper, lower, at: p, width: w)
            UnsafeMutableRawPointer(out + first).storeBytes(of: best, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(at + first).storeBytes(of: index, as: SIMD8<Int32>.self)
            start += 8
        }
    }

    /// Eight 2×2 windows side by side: `upper` and `lower` hold their two input rows
    /// (16 values each, starting at sample offset `p`); returns each window's largest
    /// value (the first largest in row order, NaN counting as largest) and its offset.
    @inline(__always)
    static func pool8(_ upper: SIMD16<Float>, _ lower: SIMD16<Float>, at p: Int, width w: Int) -> (SIMD8<Float>, SIMD8<Int32>) {
        let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ Int32(truncatingIfNeeded: p)
        var best = upper.evenHalf, index = lanes
        consider(upper.oddHalf, lanes &+ 1, &best, &index)
        consider(lower.evenHalf, lanes &+ Int32(truncatingIfNeeded: w), &best, &index)
        consider(lower.oddHalf, lanes &+ Int32(truncatingIfNeeded: w + 1), &best, &index)
        return (best, index)
    }

    /// Takes `v` (at offsets `at`) in the lanes where it is larger than `best`, or NaN where `best` is not.
    @inline(__always)
    static func consider(_ v: SIMD8<Float>, _ at: SIMD8<Int32>, _ best: inout SIMD8<Float>, _ index: inout SIMD8<Int32>) {
        let take = (v .> best) .| ((v .!= v) .& (best .== best))
        best.replace(with: v, where: take)
        index.replace(with: at, where: take)
    }

    private struct Job {
        var channels, height, width: Int
        var window: Window2D
        var input: UnsafePointer<Float>
        var output: UnsafeMutablePointer<Float>
        var argmax: UnsafeMutablePointer<Int32>
        var mask: UnsafePointer<Float>? = nil
        var pooled: UnsafePointer<Float>? = nil
    }
}
