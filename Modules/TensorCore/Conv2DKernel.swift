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
/// Each sample is lowered once (`Im2Col.gather`) into `cols [C·k·k, Ho·Wo]`, kept for
/// backward; forward is one GEMM per sample, `y = W [O, C·k·k] · cols + b`. Samples are
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
    /// Floats of workspace a call needs: forward, the transposed weight; backward, per
    /// core, a weight and bias sum and the input gradient's columns.
    public static func workspaceCount(_ shape: Conv2DShape) -> Int {
        Swift.max(shape.outChannels * shape.patch,
                  Parallel.threads * (shape.outChannels * shape.patch + shape.outChannels + shape.columnCount))
    }

    /// `cols[s] = im2col(x[s])`, `y[s] = W · cols[s] + b` for `samples` samples.
    /// - Shapes: `x [N, C·H·W]`, `weight [O, C·k·k]`, `bias [O]`, `cols [N, C·k·k·Ho·Wo]`, `y [N, O·Ho·Wo]`.
    public static func forward(_ shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, cols: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                               workspace: UnsafeMutablePointer<Float>) {
        let (o, patch) = (shape.outChannels, shape.patch)
        for row in 0..<o { for column in 0..<patch { workspace[column * o + row] = weight[row * patch + column] } }
        var job = Job(shape: shape, samples: samples, x: x, weight: workspace, bias: bias, cols: cols, y: y)
        run(&job) { context, s, _, _ in
            let job = Job.at(context), sh = job.shape, c = job.cols + s * sh.columnCount, out = job.y + s * sh.outputCount
            Im2Col.gather(job.x! + s * sh.inputCount, channels: sh.channels, height: sh.height, width: sh.width, sh.window, into: c)
            Conv2DKernel.gemm(m: sh.outChannels, n: sh.positions, k: sh.patch, job.weight, true, c, false, out, beta: 0)
            guard let bias = job.bias else { return }
            for o in 0..<sh.outChannels {
                let plane = out + o * sh.positions, b = bias[o]
                for p in 0..<sh.positions { plane[p] += b }
            }
        }
    }

    /// `dW = Σ_s dy[s] · cols[s]ᵀ` and (with `db`) `db[o] = Σ_s Σ_p dy[s, o, p]`, overwritten.
    public static func parameterGradients(_ shape: Conv2DShape, samples: Int, dy: UnsafePointer<Float>,
                                          cols: UnsafeMutablePointer<Float>, dW: UnsafeMutablePointer<Float>,
                                          db: UnsafeMutablePointer<Float>?, workspace: UnsafeMutablePointer<Float>) {
        let weights = shape.outChannels * shape.patch, perCore = weights + shape.outChannels
        var job = Job(shape: shape, samples: samples, weight: dy, cols: cols, y: workspace)
        let parts = run(&job) { context, s, part, first in
            let job = Job.at(context), sh = job.shape, g = job.weight + s * sh.outputCount
            let sums = job.y + part * (sh.outChannels * sh.patch + sh.outChannels)
            Conv2DKernel.gemm(m: sh.outChannels, n: sh.patch, k: sh.positions, g, false, job.cols + s * sh.columnCount, true, sums,
                 beta: first ? 0 : 1)
            let biasSums = sums + sh.outChannels * sh.patch
            for o in 0..<sh.outChannels {
                let total = Conv2DKernel.sum(g + o * sh.positions, count: sh.positions)
                biasSums[o] = first ? total : biasSums[o] + total
            }
        }
        dW.update(from: workspace, count: weights)
        db?.update(from: workspace + weights, count: shape.outChannels)
        for part in 1..<parts {
            let sums = workspace + part * perCore
            for i in 0..<weights { dW[i] += sums[i] }
            if let db { for o in 0..<shape.outChannels { db[o] += sums[weights + o] } }
        }
    }

    /// `dx[s] = col2im(Wᵀ · dy[s])`, overwritten.
    public static func inputGradient(_ shape: Conv2DShape, samples: Int, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     dx: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>) {
        let columns = workspace + Parallel.threads * (shape.outChannels * shape.patch + shape.outChannels)
        var job = Job(shape: shape, samples: samples, x: dy, weight: weight, cols: columns, y: dx)
        run(&job) { context, s, part, _ in
            let job = Job.at(context), sh = job.shape, scratch = job.cols + part * sh.columnCount, d = job.y + s * sh.inputCount
            Conv2DKernel.gemm(m: sh.patch, n: sh.positions, k: sh.outChannels, job.weight, true, job.x! + s * sh.outputCount, false, scratch,
                 beta: 0)
            d.update(repeating: 0, count: sh.inputCount)
            Im2Col.scatterAdd(scratch, channels: sh.channels, height: sh.height, width: sh.width, sh.window, into: d)
        }
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

        init(shape: Conv2DShape, samples: Int, x: UnsafePointer<Float>? = nil, weight: UnsafePointer<Float>,
             bias: UnsafePointer<Float>? = nil, cols: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>) {
            (self.shape, self.samples, self.x, self.weight, self.bias, self.cols, self.y) = (shape, samples, x, weight, bias, cols, y)
        }

        static func at(_ context: UnsafeRawPointer) -> Job { context.assumingMemoryBound(to: Job.self).pointee }
    }

    @discardableResult
    private static func run(_ job: inout Job, _ body: PerSample.Body) -> Int {
        let samples = job.samples
        return withUnsafePointer(to: &job) { PerSample.run(samples: samples, arguments: UnsafeRawPointer($0), body) }
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
