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
        _ = withUnsafePointer(to: &job) { pointer in
            PerSample.run(samples: samples, arguments: UnsafeRawPointer(pointer)) { context, s, _, _ in
                let j = context.assumingMemoryBound(to: Job.self).pointee
                let (h, w, k, stride) = (j.height, j.width, j.window.kernel, j.window.stride)
                let ho = j.window.output(h), wo = j.window.output(w)
                let x = j.input + s * j.channels * h * w, y = j.output + s * j.channels * ho * wo
                let picked = j.argmax + s * j.channels * ho * wo
                var slot = 0
                for c in 0..<j.channels {
                    for oy in 0..<ho {
                        for ox in 0..<wo {
                            var at = (c * h + oy * stride) * w + ox * stride, best = x[at]
                            for i in 0..<k {
                                let row = (c * h + oy * stride + i) * w + ox * stride
                                for jj in 0..<k where x[row + jj] > best || x[row + jj].isNaN && !best.isNaN {
                                    best = x[row + jj]
                                    at = row + jj
                                }
                            }
                            y[slot] = best
                            picked[slot] = Int32(at)
                            slot += 1
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
        _ = withUnsafePointer(to: &job) { pointer in
            PerSample.run(samples: samples, arguments: UnsafeRawPointer(pointer)) { context, s, _, _ in
                let j = context.assumingMemoryBound(to: Job.self).pointee
                let inputs = j.channels * j.height * j.width, outputs = j.channels * j.window.output(j.height) * j.window.output(j.width)
                let d = j.output + s * inputs, g = j.input + s * outputs, picked = j.argmax + s * outputs
                d.update(repeating: 0, count: inputs)
                for slot in 0..<outputs { d[Int(picked[slot])] += g[slot] }
            }
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
