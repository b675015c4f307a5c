import Autograd
import Losses
import TensorCore

/// A 2-D convolution, as `torch.nn.Conv2d` with a square kernel.
///
/// - `weight`: `[out, in, k, k]`; `bias`: `[out]`. Both start as PyTorch's
///   default: U(−1/√(in·k·k), 1/√(in·k·k)).
/// - Input `[N, in, H, W]` → output `[N, out, Ho, Wo]`, `Ho = ⌊(H + 2·padding − k) / stride⌋ + 1`.
public final class Conv2d: Layer {
    public let weight: Variable
    public let bias: Variable?
    public var isTraining = true
    public let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int
    /// Scratch for the buffered backward pass, grown once to its size.
    let workspace = Workspace()

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
                rng: inout SeededGenerator) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2d needs positive channels, kernel and stride and a non-negative padding")
        (self.inChannels, self.outChannels, self.kernelSize, self.stride, self.padding) = (inChannels, outChannels, kernelSize, stride, padding)
        let bound = 1 / Float(inChannels * kernelSize * kernelSize).squareRoot()
        weight = Variable(.uniform([outChannels, inChannels, kernelSize, kernelSize], low: -bound, high: bound, using: &rng),
                          requiresGrad: true)
        self.bias = bias ? Variable(.uniform([outChannels], low: -bound, high: bound, using: &rng), requiresGrad: true) : nil
    }

    public func callAsFunction(_ input: Variable) -> Variable {
        Variable.conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    public var parameters: [Parameter] {
        [Parameter(name: "weight", variable: weight)] + (bias.map { [Parameter(name: "bias", variable: $0)] } ?? [])
    }

    /// `[C, H, W]` per sample in → out.
    public func outputShape(_ sample: [Int]) -> [Int]? {
        guard sample.count == 3, sample[0] == inChannels else { return nil }
        let w = Window2D(kernel: kernelSize, stride: stride, padding: padding)
        let (h, wd) = (w.output(sample[1]), w.output(sample[2]))
        return h > 0 && wd > 0 ? [outChannels, h, wd] : nil
    }

    public var summary: String {
        "Conv2d(\(inChannels), \(outChannels), kernel_size=(\(kernelSize), \(kernelSize)), stride=(\(stride), \(stride)), "
            + "padding=(\(padding), \(padding))\(bias == nil ? ", bias=False" : ""))"
    }
}

/// The largest value of each `k × k` window, as `torch.nn.MaxPool2d(k)` (stride
/// defaults to `k`, no padding). `[N, C, H, W]` → `[N, C, ⌊(H − k)/s⌋ + 1, …]`.
public final class MaxPool2d: Layer {
    public let kernelSize: Int, stride: Int
    public var isTraining = true

    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0, "MaxPool2d needs a positive kernel and stride")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public func callAsFunction(_ input: Variable) -> Variable { input.maxPool2d(kernel: kernelSize, stride: stride) }

    /// `[C, H, W]` per sample in → out.
    public func outputShape(_ sample: [Int]) -> [Int]? {
        guard sample.count == 3 else { return nil }
        let w = Window2D(kernel: kernelSize, stride: stride)
        let (h, wd) = (w.output(sample[1]), w.output(sample[2]))
        return h > 0 && wd > 0 ? [sample[0], h, wd] : nil
    }

    public var outputKind: LastLayerKind { .other }
    public var summary: String { "MaxPool2d(kernel_size=\(kernelSize), stride=\(stride), padding=0, dilation=1, ceil_mode=False)" }
}

/// Scratch memory a layer keeps between steps: grown when a larger size is asked
/// for, never shrunk, so a steady training loop allocates it once.
final class Workspace {
    private var buffer: FloatBuffer?

    /// At least `count` floats (contents unspecified).
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if (buffer?.count ?? -1) < count { buffer = FloatBuffer(zeros: [count]) }
        return buffer!.pointer
    }
}
