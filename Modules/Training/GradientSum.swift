import NN

/// Gradients of several batches (or ranks) summed in one flat buffer, each batch's
/// weighted by its rows, with the figures of those batches beside them:
/// `[Σ n_b·g_b for every parameter…, Σ n_b·loss_b, Σ n_b, Σ correct_b, stop]`.
/// ``write(into:)`` turns the sum into the gradient of the loss averaged over all
/// `Σ n_b` rows: `g = Σ n_b·g_b / Σ n_b`. One mechanism serves gradient accumulation
/// (`accumulate_grad_batches`) and data parallelism (the buffer is what ranks all-reduce).
/// Allocated once; no allocation per step.
public final class GradientSum {
    /// The flat buffer (what a data-parallel job all-reduces).
    public internal(set) var values: [Float] = []
    private var gradientCount = 0

    public init() {}

    /// Summed figures of the batches added so far.
    public var rows: Int { Int(values.isEmpty ? 0 : values[gradientCount + 1]) }
    public var loss: Double { rows > 0 ? Double(values[gradientCount]) / Double(rows) : 0 }
    public var correct: Int { Int(values.isEmpty ? 0 : values[gradientCount + 2]) }
    public var stop: Bool { !values.isEmpty && values[gradientCount + 3] > 0 }

    /// Adds one batch: every parameter's gradient (from backward or a step plan)
    /// weighted by `rows`, its mean `loss`, its correct predictions and a stop request.
    /// A batch of no rows adds nothing but the stop request.
    public func add(_ parameters: [Parameter], loss: Double, rows: Int, correct: Int, stopRequested: Bool) {
        let total = parameters.reduce(0) { $0 + $1.value.count }
        if gradientCount != total || values.count != total + 4 {
            gradientCount = total
            values = [Float](repeating: 0, count: total + 4)
        }
        let weight = Float(rows)
        values.withUnsafeMutableBufferPointer { sum in
            var offset = 0
            for parameter in parameters {
                let count = parameter.value.count
                if rows > 0, let grad = parameter.variable.grad {
                    grad.withUnsafeBufferPointer { g in for i in 0..<count { sum[offset + i] += g[i] * weight } }
                }
                offset += count
            }
            if rows > 0 { sum[total] += Float(loss) * weight }
            sum[total + 1] += weight
            sum[total + 2] += Float(correct)
            if stopRequested { sum[total + 3] = 1 }
        }
    }

    /// Overwrites every parameter's gradient with the average over the rows added, then empties the sum.
    public func write(into parameters: [Parameter]) {
        let rows = Float(self.rows), scale: Float = rows > 0 ? 1 / rows : 0
        values.withUnsafeMutableBufferPointer { sum in
            var offset = 0
            for parameter in parameters {
                let count = parameter.value.count
                parameter.variable.overwritingGradient { g in for i in 0..<count { g[i] = sum[offset + i] * scale } }
                offset += count
            }
        }
    }

    /// Empties the sum for the next group of batches.
    public func reset() {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
