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

    /// `dx` (overwritten) gets each output's gradient at the input it took.
    /// - Shapes: `dy` and `argmax` `[N, C·Ho·Wo]`, `dx [N, C·H·W]`.
    public static func backward(channels: Int, height: Int, width: Int, _ window: Window2D, samples: Int,
                                dy: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>) {
        var job = Job(channels: channels, height: height, width: width, window: window, input: dy, output: dx,
                      argmax: UnsafeMutablePointer(mutating: argmax))
        PerSample.run(samples: samples, with: &job) { context, s, _, _ in
            let j = PerSample.arguments(Job.self, at: context)
            let inputs = j.channels * j.height * j.width, outputs = j.channels * j.window.output(j.height) * j.window.output(j.width)
            let d = j.output + s * inputs, g = j.input + s * outputs, picked = j.argmax + s * outputs
            d.update(repeating: 0, count: inputs)
            for slot in 0..<outputs { d[Int(picked[slot])] += g[slot] }
        }
    }

    /// One output row of a 2×2, stride-2 window: `wo` outputs from input rows
    /// `rowStart` and `rowStart + width`, eight at a time in SIMD lanes (a last,
    /// partial group redone overlapping the one before, with the same results); rows
    /// of fewer than 8 outputs go one by one.
    @inline(__always)
    static func pool2x2(_ x: UnsafePointer<Float>, rowStart top: Int, width w: Int, outputs wo: Int,
                        into out: UnsafeMutablePointer<Float>, choices at: UnsafeMutablePointer<Int32>) {
        guard wo >= 8 else {
            for ox in 0..<wo {
                let p = top + 2 * ox
                var best = x[p], index = p
                @inline(__always) func consider(_ q: Int) {
                    let v = x[q], take = v > best || (v != v && best == best)
                    best = take ? v : best
                    index = take ? q : index
                }
                consider(p + 1)
                consider(p + w)
                consider(p + w + 1)
                out[ox] = best
                at[ox] = Int32(truncatingIfNeeded: index)
            }
            return
        }
        let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
        var start = 0
        while start < wo {
            let first = Swift.min(start, wo - 8), p = top + 2 * first
            let upper = UnsafeRawPointer(x + p).loadUnaligned(as: SIMD16<Float>.self)
            let lower = UnsafeRawPointer(x + p + w).loadUnaligned(as: SIMD16<Float>.self)
            var best = upper.evenHalf, index = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: p)) &+ lanes
            @inline(__always) func consider(_ v: SIMD8<Float>, _ offset: Int) {
                let take = (v .> best) .| ((v .!= v) .& (best .== best))
                best.replace(with: v, where: take)
                index.replace(with: SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: p + offset)) &+ lanes, where: take)
            }
            consider(upper.oddHalf, 1)
            consider(lower.evenHalf, w)
            consider(lower.oddHalf, w + 1)
            UnsafeMutableRawPointer(out + first).storeBytes(of: best, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(at + first).storeBytes(of: index, as: SIMD8<Int32>.self)
            start += 8
        }
    }

    private struct Job {
        var channels, height, width: Int
        var window: Window2D
        var input: UnsafePointer<Float>
        var output: UnsafeMutablePointer<Float>
        var argmax: UnsafeMutablePointer<Int32>
    }
}
