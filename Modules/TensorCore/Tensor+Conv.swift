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
/// matrix, so a convolution is one GEMM (and its backward two).
public enum Im2Col {
    /// `cols[(c·k + i)·k + j, oy·Wo + ox] = x[c, oy·s − p + i, ox·s − p + j]` (0 outside):
    /// `x` is `[C, H, W]`, `cols` is `[C·k·k, Ho·Wo]`.
    public static func gather(_ x: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                              into cols: UnsafeMutablePointer<Float>) {
        forEachEntry(channels: channels, height: height, width: width, w) { column, source in
            cols[column] = source.map { x[$0] } ?? 0
        }
    }

    /// The adjoint of `gather`: adds each column entry back onto the input position
    /// it came from (`dx` is `[C, H, W]`, accumulated into).
    public static func scatterAdd(_ cols: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                                  into dx: UnsafeMutablePointer<Float>) {
        forEachEntry(channels: channels, height: height, width: width, w) { column, source in
            if let source { dx[source] += cols[column] }
        }
    }

    /// The one walk both directions share: every entry of `cols` in order, with the
    /// input offset it reads (nil in the zero padding).
    @inline(__always)
    static func forEachEntry(channels: Int, height: Int, width: Int, _ w: Window2D, _ body: (Int, Int?) -> Void) {
        let ho = w.output(height), wo = w.output(width), k = w.kernel
        var column = 0
        for c in 0..<channels {
            for i in 0..<k {
                for j in 0..<k {
                    for oy in 0..<ho {
                        let y = oy * w.stride - w.padding + i
                        for ox in 0..<wo {
                            let xx = ox * w.stride - w.padding + j
                            body(column, y >= 0 && y < height && xx >= 0 && xx < width ? (c * height + y) * width + xx : nil)
                            column += 1
                        }
                    }
                }
            }
        }
    }
}
