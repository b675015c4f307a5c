/// The geometry of a 2-D convolution or pooling window over `[C, H, W]` planes:
/// square `kernel`, `stride`, zero `padding`, as PyTorch's integer arguments.
public struct Window2D: Sendable, Equatable {
    public var kernel: Int, stride: Int, padding: Int
    public init(kernel: Int, stride: Int = 1, padding: Int = 0) { (self.kernel, self.stride, self.padding) = (kernel, stride, padding) }

    /// The output extent for an input extent: `⌊(size + 2·padding − kernel) / stride⌋ + 1`,
    /// 0 when the window does not fit.
    public func output(_ size: Int) -> Int {
        let span = size + 2 * padding - kernel
        return span < 0 ? 0 : span / stride + 1
    }
}

/// The lowering behind `Conv2d`: a sample's windows laid out as the columns of a
/// matrix, so a convolution is one GEMM per sample (and its backward two).
///
/// `cols[(c·k + i)·k + j, oy·Wo + ox] = x[c, oy·s − p + i, ox·s − p + j]` (0 outside):
/// `x` is `[C, H, W]`, `cols` is `[C·k·k, Ho·Wo]`. Both directions walk the same
/// rows (`forEachRow`): one row of `cols` per `(c, i, j, oy)`, of which the entries
/// `ox` in `valid` read the input (the rest fall in the zero padding).
public enum Im2Col {
    /// Fills `cols` from `x`.
    public static func gather(_ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                              into cols: UnsafeMutablePointer<Float>) {
        if w.stride == 1 && w.output(width) == width {
            gatherSame(x, channels: channels, height: height, width: width, w, into: cols)
        } else {
            gatherRows(x, channels: channels, height: height, width: width, w, into: cols)
        }
    }

    /// `gather` row by row, for any window. The rows are short (`Wo` values), so they are
    /// copied and padded by inline loops rather than `memcpy`/`memset` calls.
    static func gatherRows(_ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                           into cols: UnsafeMutablePointer<Float>) {
        let wo = w.output(width), s = w.stride
        forEachRow(channels: channels, height: height, width: width, w) { rowStart, source, valid in
            let row = cols + rowStart
            guard let source else { for ox in 0..<wo { row[ox] = 0 }; return }
            for ox in 0..<valid.lowerBound { row[ox] = 0 }
            for ox in valid.upperBound..<wo { row[ox] = 0 }
            if s == 1 {
                let from = x + source
                for ox in valid { row[ox] = from[ox] }
            } else {
                for ox in valid { row[ox] = x[source + ox * s] }
            }
        }
    }

    /// `gather` for stride 1 and rows as wide as the input ("same" padding, `k = 2p + 1`):
    /// a row of `cols` then has the input's row stride, so the rows of one `(c, i, j)` that
    /// read the input are one contiguous copy of it shifted by `j − p`; the entries that
    /// shift pulled from a neighbouring row (or from outside the sample) are padding and are
    /// zeroed after, and the rows above and below the input are zero. The same values as the
    /// row by row walk, in far fewer, longer passes (tested against it).
    static func gatherSame(_ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                           into cols: UnsafeMutablePointer<Float>) {
        let ho = w.output(height), k = w.kernel, p = w.padding, count = channels * height * width
        var plane = cols
        for c in 0..<channels {
            for i in 0..<k {
                // Output rows oy read input row oy − p + i: inside for oy in top..<bottom.
                let top = Swift.min(ho, Swift.max(0, p - i)), bottom = Swift.max(top, Swift.min(ho, height + p - i))
                for j in 0..<k {
                    plane.update(repeating: 0, count: top * width)
                    (plane + bottom * width).update(repeating: 0, count: (ho - bottom) * width)
                    let shift = j - p, rows = plane + top * width
                    // Entry (oy, ox) of the inside rows reads x[c, oy − p + i, ox + shift].
                    var from = (c * height + top - p + i) * width + shift, to = 0, length = (bottom - top) * width
                    if from < 0 { (to, length) = (-from, length + from); from = 0 }
                    length = Swift.min(length, count - from)
                    if length > 0 { (rows + to).update(from: x + from, count: length) }
                    // Columns the shift took from the next or previous row: padding.
                    let border = shift < 0 ? 0..<Swift.min(width, -shift) : Swift.max(0, width - shift)..<width
                    if !border.isEmpty {
                        for oy in 0..<(bottom - top) { for ox in border { rows[oy * width + ox] = 0 } }
                    }
                    plane += ho * width
                }
            }
        }
    }

    /// The adjoint of `gather`: adds each column entry back onto the input position
    /// it came from (`dx` is `[C, H, W]`, accumulated into; each position's terms in row order).
    public static func scatterAdd(_ cols: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                                  into dx: UnsafeMutablePointer<Float>) {
        let s = w.stride
        forEachRow(channels: channels, height: height, width: width, w) { rowStart, source, valid in
            guard let source else { return }
            let row = cols + rowStart
            if s == 1 {
                let to = dx + source   // a row's targets are distinct: this loop vectorizes
                for ox in valid { to[ox] += row[ox] }
            } else {
                for ox in valid { dx[source + ox * s] += row[ox] }
            }
        }
    }

    /// Calls `body(rowStart, source, valid)` for each row of `cols` in order: `rowStart`
    /// is the row's offset in `cols`; entry `ox` of the row reads input offset
    /// `source + ox · stride` for `ox` in `valid`, and is padding elsewhere (`source` nil:
    /// the whole row is padding).
    @inline(__always)
    static func forEachRow(channels: Int, height: Int, width: Int, _ w: Window2D, _ body: (Int, Int?, Range<Int>) -> Void) {
        let ho = w.output(height), wo = w.output(width), k = w.kernel, s = w.stride, p = w.padding
        var rowStart = 0
        for c in 0..<channels {
            for i in 0..<k {
                for j in 0..<k {
                    // Entry ox reads column ox·s − p + j, inside when 0 ≤ it < width.
                    let first = Swift.max(0, ceilDiv(p - j, s)), last = Swift.min(wo, floorDiv(width - 1 + p - j, s) + 1)
                    let valid = first..<Swift.max(first, last)
                    for oy in 0..<ho {
                        let y = oy * s - p + i
                        let inside = y >= 0 && y < height && !valid.isEmpty
                        body(rowStart, inside ? (c * height + y) * width + j - p : nil, valid)
                        rowStart += wo
                    }
                }
            }
        }
    }
}

/// `⌊a / b⌋` and `⌈a / b⌉` for `b > 0`, also for negative `a` (Swift's `/` truncates toward zero).
@inline(__always) func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
@inline(__always) func ceilDiv(_ a: Int, _ b: Int) -> Int { -floorDiv(-a, b) }
