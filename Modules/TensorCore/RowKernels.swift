/// Loops over row-major `[rows, width]` buffers shared by the tensor ops and by
/// code that keeps its own buffers (Training's `StepPlan`), so both round alike.
public enum RowKernels {
    /// `rows[r, c] += bias[c]` for every row: a linear layer's bias.
    @inlinable
    public static func add(bias: UnsafePointer<Float>, to rows: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        for r in 0..<count {
            let row = rows + r * width
            for c in 0..<width { row[c] += bias[c] }
        }
    }

    /// `out[c] = Σ_r rows[r, c]` from the first row down: a bias gradient, and
    /// `Tensor.sum(axes:)` along any axis. One column (a contiguous run) is summed
    /// in `Double`, as `Tensor.sum()`; wider rows in `Float`, column by column.
    @inlinable
    public static func sumColumns(of rows: UnsafePointer<Float>, count: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        if width == 1 {
            var total: Double = 0
            for k in 0..<count { total += Double(rows[k]) }
            out[0] = Float(total)
            return
        }
        for c in 0..<width { out[c] = 0 }
        for r in 0..<count {
            let row = rows + r * width
            for c in 0..<width { out[c] += row[c] }
        }
    }

    /// The index of the largest value of each row (the first on ties; NaN wins,
    /// as `Tensor.max(axis:)`), passed to `body(row, index)` without allocating.
    @inlinable
    public static func forEachArgmax(of rows: UnsafePointer<Float>, count: Int, width: Int, _ body: (Int, Int) -> Void) {
        guard width > 0 else { return }
        for r in 0..<count {
            let row = rows + r * width
            var best = row[0], at = 0
            for k in 1..<width where row[k] > best || (row[k].isNaN && !best.isNaN) {
                best = row[k]
                at = k
            }
            body(r, at)
        }
    }
}
