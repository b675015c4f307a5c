import Autograd
import TensorCore

/// The fused softmax-cross-entropy kernels behind `crossEntropyLoss`: one
/// sweep per sample computes `log Σ exp`, the loss and `softmax − target`
/// (pre-scaled by the reduction).
enum ClassKernels {
    /// Fills `e[c] = exp(x[c] − max x)` and returns `(log Σ exp(x), 1 / Σ exp(x − max))`.
    @inline(__always)
    static func logSumExp(_ x: UnsafeBufferPointer<Float>, storingExpIn e: UnsafeMutableBufferPointer<Float>?) -> (Float, Float) {
        var m = FastMath.max(x)
        if m.isInfinite { m = 0 }
        let s: Float
        if let e { s = FastMath.expShifted(x, by: m, into: e) } else { s = FastMath.sumExpShifted(x, by: m) }
        return (m + Scalar.log(s), 1 / s)
    }

    /// Class-index targets: see `crossEntropyLoss` for the formulas. Computes the
    /// weighted-mean divisor and hands it, with the per-sample body, to `run`
    /// (a sweep into new tensors for the graph, or into caller buffers).
    @inline(__always)
    static func crossEntropy<R>(_ target: IndexTensor, _ layout: ClassLayout, _ weight: Tensor?, _ ignoreIndex: Int, _ smoothing: Float,
                                run: (_ divisor: Double, _ body: (Int, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>?, Float) -> Float) -> R) -> R {
        let classCount = layout.classes, eps = smoothing, epsPerClass = smoothing / Float(classCount)
        let w = weight?.scalars
        let totalWeight = w.map { $0.reduce(0, +) } ?? Float(classCount)
        let divisor = layout.divisor(target, weight: weight, ignoreIndex: ignoreIndex)
        return target.indices.withUnsafeBufferPointer { targets in
            run(divisor) { s, x, d, scale in
                let y = targets[s]
                guard y != ignoreIndex else {
                    if let d { for c in 0..<classCount { d[c] = 0 } }
                    return 0
                }
                let wy = w?[y] ?? 1
                let (lse, invSum) = logSumExp(x, storingExpIn: d)
                var loss = (1 - eps) * wy * (lse - x[y])
                if eps > 0 {
                    var weightedX: Float = 0
                    if let w { for c in 0..<classCount { weightedX += w[c] * x[c] } } else { for v in x { weightedX += v } }
                    loss += epsPerClass * (totalWeight * lse - weightedX)
                }
                guard let d else { return loss }
                let softmaxScale = invSum * ((1 - eps) * wy + epsPerClass * totalWeight) * scale
                if eps > 0, let w {
                    for c in 0..<classCount { d[c] = d[c] * softmaxScale - epsPerClass * w[c] * scale }
                } else {
                    let shift = epsPerClass * scale
                    for c in 0..<classCount { d[c] = d[c] * softmaxScale - shift }
                }
                d[y] -= (1 - eps) * wy * scale
                return loss
            }
        }
    }

    /// Class-probability targets: see `crossEntropyLoss` for the formulas.
    static func softTarget(_ input: Variable, _ target: Tensor, _ layout: ClassLayout, _ weight: Tensor?,
                           _ smoothing: Float, _ reduction: LossReduction) -> LossTerms {
        let classCount = layout.classes, epsPerClass = smoothing / Float(classCount)
        let w = weight?.scalars
        // The target is laid out like the input: gather it per sample with the same walk.
        var rows = [Float](repeating: 0, count: layout.samples * classCount)
        rows.withUnsafeMutableBufferPointer { rows in
            target.withUnsafeBufferPointer { pt in
                guard let base = pt.baseAddress else { return }
                layout.forEachSample(base, nil, outer: 0..<layout.outer) { s, t, _ in
                    for c in 0..<classCount { rows[s * classCount + c] = ((1 - smoothing) * t[c] + epsPerClass) * (w?[c] ?? 1) }
                }
            }
        }
        return rows.withUnsafeBufferPointer { rows in
            layout.sweep(input, reduction: reduction) { s, x, d, scale in
                let t = UnsafeBufferPointer(rebasing: rows[(s * classCount)..<((s + 1) * classCount)])
                var mass: Float = 0, dot: Float = 0
                for c in 0..<classCount { mass += t[c]; dot += t[c] * x[c] }
                let (lse, invSum) = logSumExp(x, storingExpIn: d)
                if let d { for c in 0..<classCount { d[c] = (d[c] * invSum * mass - t[c]) * scale } }
                return lse * mass - dot
            }
        }
    }
}
