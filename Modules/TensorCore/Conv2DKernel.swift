/// The shapes of one `Conv2d` over a batch of `[C, H, W]` samples (NCHW, PyTorch's
/// layout, kept so that `Flatten` gives PyTorch's feature order and `state_dict`s match).
public struct Conv2DShape: Sendable, Equatable {
    public var channels, height, width, outChannels: Int
    public var window: Window2D

    public init(channels: Int, height: Int, width: Int, outChannels: Int, window: Window2D) {
        (self.channels, self.height, self.width, self.outChannels, self.window) = (channels, height, width, outChannels, window)
    }

    public var outHeight: Int { window.output(height) }
    public var outWidth: Int { window.output(width) }
    /// Output positions per plane, `Ho·Wo`.
    public var positions: Int { outHeight * outWidth }
    /// Values per window, `C·k·k`: the GEMMs' inner extent.
    public var patch: Int { channels * window.kernel * window.kernel }
    /// Values per sample: input `C·H·W`, output `O·Ho·Wo`, lowered columns `C·k·k·Ho·Wo`.
    public var inputCount: Int { channels * height * width }
    public var outputCount: Int { outChannels * positions }
    public var columnCount: Int { patch * positions }
}

/// The arithmetic of `Conv2d`, on raw buffers, shared by the autograd graph
/// (`Variable.conv2d`) and the layer's buffered form, so both give the same numbers.
///
/// Each sample is lowered (`Im2Col.gather`) into `cols [C·k·k, Ho·Wo]` in its core's
/// scratch, used at once while it is in cache, and lowered again for the weight
/// gradient rather than kept (a batch's columns would be megabytes written and read
/// back through memory); forward is one GEMM per sample, `y = W [O, C·k·k] · cols + b`. Samples are
/// split over the cores (`Parallel.run`), each core running one-thread GEMMs on its
/// own samples; the weight and bias gradients are summed per core, then the cores'
/// sums are added in order, so a given machine always rounds the same way.
/// Nothing here allocates: the caller passes every buffer (`workspaceCount`).
///
/// Forward multiplies by a transposed copy of the weight (`Wᵀ` passed transposed):
/// Debian's OpenBLAS allocates a buffer on every untransposed GEMM of some shapes
/// (e.g. 32×196×144, the second layer of `Config/fashion-mnist-cnn.yaml`), never on
/// this form.
public enum Conv2DKernel {
    /// Floats of workspace a call needs: the transposed weight, then per core a weight
    /// and bias sum, then per core one sample's columns.
    public static func workspaceCount(_ shape: Conv2DShape) -> Int {
        Layout(shape).total
    }

    /// Where each part of the workspace starts.
    struct Layout {
        let sums: Int, columns: Int, total: Int
        init(_ shape: Conv2DShape) {
            let weights = shape.outChannels * shape.patch
            sums = weights
            columns = sums + Parallel.threads * (weights + shape.outChannels)
            total = columns + Parallel.threads * shape.columnCount
        }
    }

    /// `y[s] = W · im2col(x[s]) + b` for `samples` samples; with `relu`, `max(·, 0)` of
    /// that (as `ActivationFunction.relu`: NaN gives 0) in the same sweep as the bias,
    /// while the sample's output is in cache.
    /// - Shapes: `x [N, C·H·W]`, `weight [O, C·k·k]`, `bias [O]`, `y [N, O·Ho·Wo]`.
    public static func forward(_ shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, relu: Bool = false, y: UnsafeMutablePointer<Float>,
                               workspace: UnsafeMutablePointer<Float>) {
        let (o, patch) = (shape.outChannels, shape.patch)
        for row in 0..<o { for column in 0..<patch { workspace[column * o + row] = weight[row * patch + column] } }
        var job = Job(shape: shape, samples: samples, x: x, weight: workspace, bias: bias,
                      cols: workspace + Layout(shape).columns, y: y, relu: relu)
        PerSample.run(samples: samples, with: &job) { context, s, part, _ in
            let job = Job.at(context), sh = job.shape, c = job.cols + part * sh.columnCount, out = job.y + s * sh.outputCount
            Im2Col.gather(job.x! + s * sh.inputCount, channels: sh.channels, height: sh.height, width: sh.width, sh.window, into: c)
            Conv2DKernel.gemm(m: sh.outChannels, n: sh.positions, k: sh.patch, job.weight, true, c, false, out, beta: 0)
            switch (job.bias, job.relu) {
            case (nil, false): return
            case (nil, true): ActivationFunction.relu.apply(out, into: out, count: sh.outputCount)
            case (let bias?, let relu):
                for o in 0..<sh.outChannels {
                    Conv2DKernel.add(bias[o], to: out + o * sh.positions, count: sh.positions, relu: relu)
                }
            }
        }
    }

    /// `plane[p] += b` for `count` values, then (with `relu`) `plane[p] = plane[p] > 0 ? plane[p] : 0`,
    /// eight lanes at a time: the values of a bias pass then `ActivationFunction.relu`'s.
    @inline(__always)
    fileprivate static func add(_ b: Float, to plane: UnsafeMutablePointer<Float>, count: Int, relu: Bool) {
        typealias V = SIMD8<Float>
        let lanes = V(repeating: b)
        var p = 0
        while p + 8 <= count {
            let v = UnsafeRawPointer(plane + p).loadUnaligned(as: V.self) + lanes
            UnsafeMutableRawPointer(plane + p).storeBytes(of: relu ? V().replacing(with: v, where: v .> 0) : v, as: V.self)
            p += 8
        }
        while p < count {
            let v = plane[p] + b
            plane[p] = relu ? (v > 0 ? v : 0) : v
            p += 1
        }
    }

    /// `dW = Σ_s dy[s] · im2col(x[s])ᵀ` and (with `db`) `db[o] = Σ_s Σ_p dy[s, o, p]`, overwritten.
    public static func parameterGradients(_ shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                          dW: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                                          workspace: UnsafeMutablePointer<Float>) {
        backward(shape, samples: samples, x: x, dy: dy, weight: nil, dW: dW, db: db, dx: nil, workspace: workspace)
    }

    /// `dx[s] = col2im(Wᵀ · dy[s])`, overwritten.
    public static func inputGradient(_ shape: Conv2DShape, samples: Int, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     dx: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>) {
        backward(shape, samples: samples, x: nil, dy: dy, weight: weight, dW: nil, db: nil, dx: dx, workspace: workspace)
    }

    /// The parameter gradients (with `dW`, from `x`; see `parameterGradients`) and the
    /// input gradient (with `dx`, from `weight`; see `inputGradient`) in one pass over
    /// the samples: each sample's `dy` is read while in cache, and its lowered columns'
    /// scratch then takes `Wᵀ · dy[s]`. The same numbers as the two calls.
    public static func backward(_ shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>?, dy: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>?, dW: UnsafeMutablePointer<Float>?, db: UnsafeMutablePointer<Float>?,
                                dx: UnsafeMutablePointer<Float>?, workspace: UnsafeMutablePointer<Float>) {
        precondition((dW == nil || x != nil) && (dx == nil || weight != nil), "Conv2DKernel.backward: dW needs x, dx needs weight")
        let weights = shape.outChannels * shape.patch, perCore = weights + shape.outChannels, layout = Layout(shape)
        var job = BackwardJob(shape: shape, x: x, dy: dy, weight: weight, sums: dW == nil ? nil : workspace + layout.sums,
                              hasBias: db != nil, dx: dx, cols: workspace + layout.columns)
        let parts = PerSample.run(samples: samples, with: &job) { context, s, part, first in
            let job = PerSample.arguments(BackwardJob.self, at: context), sh = job.shape
            let g = job.dy + s * sh.outputCount, c = job.cols + part * sh.columnCount
            if let sums0 = job.sums, let x = job.x {
                let sums = sums0 + part * (sh.outChannels * sh.patch + sh.outChannels)
                Im2Col.gather(x + s * sh.inputCount, channels: sh.channels, height: sh.height, width: sh.width, sh.window, into: c)
                Conv2DKernel.gemm(m: sh.outChannels, n: sh.patch, k: sh.positions, g, false, c, true, sums, beta: first ? 0 : 1)
                if job.hasBias {
                    let biasSums = sums + sh.outChannels * sh.patch
                    for o in 0..<sh.outChannels {
                        let total = Conv2DKernel.sum(g + o * sh.positions, count: sh.positions)
                        biasSums[o] = first ? total : biasSums[o] + total
                    }
                }
            }
            if let dx = job.dx, let weight = job.weight {
                let d = dx + s * sh.inputCount
                Conv2DKernel.gemm(m: sh.patch, n: sh.positions, k: sh.outChannels, weight, true, g, false, c, beta: 0)
                d.update(repeating: 0, count: sh.inputCount)
                Im2Col.scatterAdd(c, channels: sh.channels, height: sh.height, width: sh.width, sh.window, into: d)
            }
        }
        guard let dW else { return }
        let sums0 = workspace + layout.sums
        dW.update(from: sums0, count: weights)
        db?.update(from: sums0 + weights, count: shape.outChannels)
        for part in 1..<parts {
            let sums = sums0 + part * perCore
            for i in 0..<weights { dW[i] += sums[i] }
            if let db { for o in 0..<shape.outChannels { db[o] += sums[weights + o] } }
        }
    }

    /// `backward`'s arguments, handed to the cores by pointer.
    private struct BackwardJob {
        var shape: Conv2DShape
        var x: UnsafePointer<Float>?
        var dy: UnsafePointer<Float>
        var weight: UnsafePointer<Float>?
        var sums: UnsafeMutablePointer<Float>?
        var hasBias: Bool
        var dx: UnsafeMutablePointer<Float>?
        var cols: UnsafeMutablePointer<Float>
    }

    /// One kernel call's arguments, handed to the cores by pointer.
    private struct Job {
        var shape: Conv2DShape
        var samples: Int
        var x: UnsafePointer<Float>?
        var weight: UnsafePointer<Float>
        var bias: UnsafePointer<Float>?
        var cols: UnsafeMutablePointer<Float>
        var y: UnsafeMutablePointer<Float>
        var relu: Bool

        init(shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>? = nil, weight: UnsafePointer<Float>,
             bias: UnsafePointer<Float>? = nil, cols: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, relu: Bool = false) {
            (self.shape, self.samples, self.x, self.weight, self.bias, self.cols, self.y) = (shape, samples, x, weight, bias, cols, y)
            self.relu = relu
        }

        static func at(_ context: UnsafeRawPointer) -> Job { PerSample.arguments(Job.self, at: context) }
    }

    /// The sum of `count` floats in eight interleaved lanes (vectorized; a fixed order).
    @inline(__always)
    fileprivate static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: 0), i = 0
        while i + 8 <= count {
            lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var total = lanes.sum()
        while i < count { total += p[i]; i += 1 }
        return total
    }

    /// A one-thread GEMM (the cores are already split by sample).
    @inline(__always)
    fileprivate static func gemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ transposeA: Bool, _ b: UnsafePointer<Float>,
                             _ transposeB: Bool, _ c: UnsafeMutablePointer<Float>, beta: Float) {
        SplitGemm(m: m, n: n, k: k, a: a, b: b, c: c, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: beta,
                  parts: 1, byRows: false).run(part: 0)
    }
}
