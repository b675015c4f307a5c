import Autograd
import TensorCore

/// The fused softmax-cross-entropy kernels behind `crossEntropyLoss`: one
/// sweep per sample computes `log Σ exp`, the loss and `softmax − target`.
enum ClassKernels {
    /// Fills `e[c] = exp(x[c] − max x)` and returns `(log Σ exp(x), 1 / Σ exp(x − max))`.
    @inline(__always)
    static func logSumExp(_ x: UnsafeBufferPointer<Float>, storingExpIn e: UnsafeMutableBufferPointer<Float>?) -> (Float, Float) {
        var m = -Float.infinity
        for v in x { m = max(m, v) }
        if !m.isFinite { m = m.isNaN ? m : 0 }
        let s: Float
        if let e { s = FastMath.expShifted(x, by: m, into: e) } else { s = FastMath.sumExpShifted(x, by: m) }
        return (m + Scalar.log(s), 1 / s)
    }

    /// Class-index targets: see `crossEntropyLoss` for the formulas.
    static func crossEntropy(_ input: Variable, _ target: IndexTensor, _ layout: ClassLayout, _ weight: Tensor?,
                             _ ignoreIndex: Int, _ smoothing: Float) -> LossTerms {
        let classCount = layout.classes, eps = smoothing, epsPerClass = smoothing / Float(classCount)
        let w = weight?.scalars
        let totalWeight = w.map { $0.reduce(0, +) } ?? Float(classCount)
        var divisor = 0.0
        let (values, derivative) = Elementwise.buildTerms(layout.sampleShape, input.shape,
                                                          withDerivative: Elementwise.needsGrad(input)) { out, d in
            input.value.withUnsafeBufferPointer { px in
                layout.forEachSample(px, d) { s, x, d in
                    let y = target.indices[s]
                    guard y != ignoreIndex else {
                        out[s] = 0
                        if let d { for c in 0..<classCount { d[c] = 0 } }
                        return
                    }
                    let wy = w?[y] ?? 1
                    divisor += Double(wy)
                    let (lse, invSum) = logSumExp(x, storingExpIn: d)
                    var loss = (1 - eps) * wy * (lse - x[y])
                    if eps > 0 {
                        var weightedX: Float = 0
                        if let w { for c in 0..<classCount { weightedX += w[c] * x[c] } } else { for v in x { weightedX += v } }
                        loss += epsPerClass * (totalWeight * lse - weightedX)
                    }
                    out[s] = loss
                    guard let d else { return }
                    let scale = invSum * ((1 - eps) * wy + epsPerClass * totalWeight)
                    if eps > 0, let w {
                        for c in 0..<classCount { d[c] = d[c] * scale - epsPerClass * w[c] }
                    } else {
                        for c in 0..<classCount { d[c] = d[c] * scale - epsPerClass }
                    }
                    d[y] -= (1 - eps) * wy
                }
            }
        }
        return LossTerms(values: values, derivative: derivative, classes: classCount, inner: layout.inner, meanDivisor: divisor)
    }

    /// Class-probability targets: see `crossEntropyLoss` for the formulas.
    static func softTarget(_ input: Variable, _ target: Tensor, _ layout: ClassLayout, _ weight: Tensor?,
                           _ smoothing: Float) -> LossTerms {
        let classCount = layout.classes, epsPerClass = smoothing / Float(classCount)
        let w = weight?.scalars
        var smoothed = [Float](repeating: 0, count: classCount)
        let (values, derivative) = Elementwise.buildTerms(layout.sampleShape, input.shape,
                                                          withDerivative: Elementwise.needsGrad(input)) { out, d in
            input.value.withUnsafeBufferPointer { px in
                target.withUnsafeBufferPointer { pt in
                    // The target is laid out like the input: gather it with the same walk.
                    var targetRows = [Float](repeating: 0, count: layout.samples * classCount)
                    targetRows.withUnsafeMutableBufferPointer { rows in
                        layout.forEachSample(pt, nil) { s, t, _ in
                            for c in 0..<classCount { rows[s * classCount + c] = t[c] }
                        }
                    }
                    layout.forEachSample(px, d) { s, x, d in
                        var mass: Float = 0, dot: Float = 0
                        for c in 0..<classCount {
                            let tc = (1 - smoothing) * targetRows[s * classCount + c] + epsPerClass
                            let wt = (w?[c] ?? 1) * tc
                            smoothed[c] = wt
                            mass += wt
                            dot += wt * x[c]
                        }
                        let (lse, invSum) = logSumExp(x, storingExpIn: d)
                        out[s] = lse * mass - dot
                        if let d { for c in 0..<classCount { d[c] = d[c] * invSum * mass - smoothed[c] } }
                    }
                }
            }
        }
        return LossTerms(values: values, derivative: derivative, classes: classCount, inner: layout.inner)
    }
}
