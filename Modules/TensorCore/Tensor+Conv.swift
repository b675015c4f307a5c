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
        let ho = w.output(height), wo = w.output(width), k = w.kernel
        var row = cols
        for c in 0..<channels {
            let plane = x + c * height * width
            for i in 0..<k {
                for j in 0..<k {
                    for oy in 0..<ho {
                        let y = oy * w.stride - w.padding + i
                        let out = row + oy * wo
                        guard y >= 0 && y < height else { for ox in 0..<wo { out[ox] = 0 }; continue }
                        for ox in 0..<wo {
                            let xx = ox * w.stride - w.padding + j
                            out[ox] = xx >= 0 && xx < width ? plane[y * width + xx] : 0
                        }
                    }
                    row += ho * wo
                }
            }
        }
    }

    /// The adjoint of `gather`: adds each column entry back onto the input position
    /// it came from (`dx` is `[C, H, W]`, accumulated into).
    public static func scatterAdd(_ cols: UnsafePointer<Float>, channels: Int, height: Int, width: Int, _ w: Window2D,
                                  into dx: UnsafeMutablePointer<Float>) {
        let ho = w.output(height), wo = w.output(width), k = w.kernel
        var row = cols
        for c in 0..<channels {
            let plane = dx + c * height * width
            for i in 0..<k {
                for j in 0..<k {
                    for oy in 0..<ho {
                        let y = oy * w.stride - w.padding + i
                        guard y >= 0 && y < height else { continue }
                        for ox in 0..<wo {
                            let xx = ox * w.stride - w.padding + j
                            if xx >= 0 && xx < width { plane[y * width + xx] += row[oy * wo + ox] }
                        }
                    }
                    row += ho * wo
                }
            }
        }
    }
}
