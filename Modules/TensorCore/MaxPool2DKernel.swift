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
                        MaxPool2DKernel.pool2x2(x, rowStart: top, width: w, outputs: wo, into: out, choices: at)
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
    /// With `reluOutput` (this pooling's input being a ReLU's output), the gradient is
    /// kept only where that input is positive: the ReLU's backward in the same pass, so
    /// the result is the ReLU's input gradient, with the same values as the two passes.
    /// When the windows tile the input (stride = kernel, dividing H and W), each input
    /// position is written once, with no zero-fill first.
    /// - Shapes: `dy` and `argmax` `[N, C·Ho·Wo]`, `dx` and `reluOutput` `[N, C·H·W]`.
    public static func backward(channels: Int, height: Int, width: Int, _ window: Window2D, samples: Int,
                                dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>,
                                reluOutput: UnsafePointer<Float>? = nil) {
        var job = Job(channels: channels, height: height, width: width, window: window, input: dy, output: dx,
                      argmax: UnsafeMutablePointer(mutating: argmax), mask: reluOutput)
        PerSample.run(samples: samples, with: &job) { context, s, _, _ in
            let j = PerSample.arguments(Job.self, at: context)
            let (h, w, k) = (j.height, j.width, j.window.kernel), ho = j.window.output(h), wo = j.window.output(w)
            let inputs = j.channels * h * w, outputs = j.channels * ho * wo
            let d = j.output + s * inputs, g = j.input + s * outputs, picked = j.argmax + s * outputs
            let mask = j.mask.map { $0 + s * inputs }
            guard j.window.stride == k && h == ho * k && w == wo * k else {
                d.update(repeating: 0, count: inputs)
                for slot in 0..<outputs { d[Int(picked[slot])] += g[slot] }
                if let mask { ActivationFunction.select(d, where: mask, into: d, count: inputs) }
                return
            }
            // Tiling windows: input (y, x) of plane c lies in window (y / k, x / k) only.
            for row in 0..<(j.channels * h) {
                let slots = (row / h * ho + row % h / k) * wo, to = d + row * w, first = Int32(truncatingIfNeeded: row * w)
                if let mask {
                    let m = mask + row * w
                    for x in 0..<w {
                        let slot = slots + x / k
                        to[x] = picked[slot] == first + Int32(truncatingIfNeeded: x) && m[x] > 0 ? g[slot] : 0
                    }
                } else {
                    for x in 0..<w {
                        let slot = slots + x / k
                        to[x] = picked[slot] == first + Int32(truncatingIfNeeded: x) ? g[slot] : 0
                    }
                }
            }
        }
    }

    /// One output row of a 2×2, stride-2 window: `wo` outputs from input rows
    /// `rowStart` and `rowStart + width`, eight at a time in SIMD lanes (a last,
    /// partial group redone overlapping the one before, with the same results); rows
    /// of fewer than 8 outputs go through the same lanes from a padded copy, branch-free.
    @inline(__always)
    static func pool2x2(_ x: UnsafePointer<Float>, rowStart top: Int, width w: Int, outputs wo: Int,
                        into out: UnsafeMutablePointer<Float>, choices at: UnsafeMutablePointer<Int32>) {
        guard wo >= 8 else {
            var upper = SIMD16<Float>(), lower = SIMD16<Float>()
            for i in 0..<(2 * wo) {
                upper[i] = x[top + i]
                lower[i] = x[top + w + i]
            }
            let (best, index) = pool8(upper, lower, at: top, width: w)
            for ox in 0..<wo {
                out[ox] = best[ox]
                at[ox] = index[ox]
            }
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
        let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
        var best = upper.evenHalf, index = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: p)) &+ lanes
        @inline(__always) func consider(_ v: SIMD8<Float>, _ offset: Int) {
            let take = (v .> best) .| ((v .!= v) .& (best .== best))
            best.replace(with: v, where: take)
            index.replace(with: SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: p + offset)) &+ lanes, where: take)
        }
        consider(upper.oddHalf, 1)
        consider(lower.evenHalf, w)
        consider(lower.oddHalf, w + 1)
        return (best, index)
    }

    private struct Job {
        var channels, height, width: Int
        var window: Window2D
        var input: UnsafePointer<Float>
        var output: UnsafeMutablePointer<Float>
        var argmax: UnsafeMutablePointer<Int32>
        var mask: UnsafePointer<Float>? = nil
    }
}
