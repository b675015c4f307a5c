import Autograd
import TensorCore

/// The buffers of one layer in one `StepPlan` step: `rows` samples, each a row of
/// values laid out as its shape says (`[D]` features, or `[C, H, W]` planes in
/// PyTorch's NCHW order): input `[rows, inputWidth]`, output `[rows, outputWidth]`,
/// and `saved` `[rows, savedCount]` (what the layer keeps from forward for backward).
public struct LayerBuffers {
    public var rows: Int
    /// One sample's input shape; `inputWidth` is its element count.
    public var inputShape: [Int]
    public var inputWidth: Int, outputWidth: Int
    public var input: UnsafePointer<Float>
    public var output: UnsafeMutablePointer<Float>
    public var saved: UnsafeMutablePointer<Float>?
    /// An activation forward applies to the output itself (the plan then runs the
    /// activation layer after it as a view of this output); only when `fuses(forward:)`.
    public var outputActivation: ActivationFunction? = nil
    /// An activation whose output the input is, and whose derivative backward applies
    /// to the input gradient itself (the plan then skips that activation's backward);
    /// only when `fuses(backward:)`.
    public var inputActivation: ActivationFunction? = nil
    /// Values in the input and in the output.
    public var inputCount: Int { rows * inputWidth }
    public var outputCount: Int { rows * outputWidth }

    public init(rows: Int, inputShape: [Int], outputWidth: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                saved: UnsafeMutablePointer<Float>?) {
        (self.rows, self.inputShape, self.outputWidth, self.input, self.output, self.saved) = (rows, inputShape, outputWidth, input, output, saved)
        inputWidth = inputShape.reduce(1, *)
    }
}

/// A layer that also runs on buffers a `StepPlan` owns, rows in and rows out,
/// with no graph and no allocation. Forward fills `output`; backward maps the
/// output's gradient to the input's and writes (not adds) the parameters'
/// gradients. It uses the same kernels as the layer's graph form, so both
/// give the same numbers, bit for bit.
public protocol BufferedLayer: Layer {
    /// One sample's output shape for one sample's input shape; nil when the layer cannot take it.
    func outputShape(forInput sample: [Int]) -> [Int]?
    /// Values per sample kept from forward for backward (Dropout's mask, a convolution's
    /// lowered columns, pooling's choices); 0 for most layers.
    func savedCount(forInput sample: [Int]) -> Int
    func forward(_ buffers: LayerBuffers)
    /// `gradient` is `∂loss/∂output`; `inputGradient` receives `∂loss/∂input`, and
    /// is nil where nothing needs it (the first layer).
    func backward(_ buffers: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?)
    /// Whether forward can apply `activation` to its own output (`LayerBuffers.outputActivation`),
    /// with the same values as the activation's own pass. False by default.
    func fuses(forward activation: ActivationFunction) -> Bool
    /// Whether backward can apply the derivative of `activation`, run just before this
    /// layer, to the input gradient it writes (`LayerBuffers.inputActivation`), with the
    /// same values as the activation's own backward. False by default.
    func fuses(backward activation: ActivationFunction) -> Bool
    /// Whether the output is the input itself, value for value (a reshape): a plan
    /// then passes the input's buffer on and the gradient back, with no copy. False by default.
    var isView: Bool { get }
}

extension BufferedLayer {
    public func savedCount(forInput sample: [Int]) -> Int { 0 }
    public func fuses(forward activation: ActivationFunction) -> Bool { false }
    public func fuses(backward activation: ActivationFunction) -> Bool { false }
    public var isView: Bool { false }
}

extension Variable {
    /// Calls `body` with the gradient's storage for overwriting, making a zero
    /// gradient of the value's shape first when there is none (the first step).
    public func overwritingGradient(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        if grad?.shape != value.shape { grad = .zeros(value.shape) }
        grad!.withUnsafeMutableBufferPointer { if let p = $0.baseAddress { body(p) } }
    }
}

extension Linear: BufferedLayer {
    public func outputShape(forInput sample: [Int]) -> [Int]? { sample == [inFeatures] ? [outFeatures] : nil }

    /// `x·Wᵀ` as one GEMM, then the bias added to each row: `Tensor.affine`'s order.
    public func forward(_ b: LayerBuffers) {
        weight.value.withUnsafeBufferPointer { w in
            BLAS.gemm(m: b.rows, n: outFeatures, k: inFeatures, b.input, transposeA: false, w.baseAddress!, transposeB: true,
                      into: b.output)
        }
        bias?.value.withUnsafeBufferPointer { RowKernels.add(bias: $0.baseAddress!, to: b.output, count: b.rows, width: outFeatures) }
    }

    /// `gᵀ·x` into the weight gradient, the column sums of `g` into the bias
    /// gradient, `g·W` into the input gradient: `Variable.linear`'s rules.
    public func backward(_ b: LayerBuffers, gradient g: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        weight.overwritingGradient { dW in
            BLAS.gemm(m: outFeatures, n: inFeatures, k: b.rows, g, transposeA: true, b.input, transposeB: false, into: dW)
        }
        bias?.overwritingGradient { db in RowKernels.sumColumns(of: g, count: b.rows, width: outFeatures, into: db) }
        guard let inputGradient else { return }
        weight.value.withUnsafeBufferPointer { w in
            BLAS.gemm(m: b.rows, n: inFeatures, k: outFeatures, g, transposeA: false, w.baseAddress!, transposeB: false,
                      into: inputGradient)
        }
    }
}

extension Activation: BufferedLayer {
    public func outputShape(forInput sample: [Int]) -> [Int]? { sample }
    public func forward(_ b: LayerBuffers) { function.apply(b.input, into: b.output, count: b.inputCount) }
    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        function.backward(gradient, input: b.input, output: b.output, into: inputGradient, count: b.inputCount)
    }
}

extension Flatten: BufferedLayer {
    /// Rows are already flat (NCHW planes flatten to PyTorch's order): a view in a plan,
    /// a copy each way when called directly.
    public var isView: Bool { true }
    public func outputShape(forInput sample: [Int]) -> [Int]? { [sample.reduce(1, *)] }
    public func forward(_ b: LayerBuffers) { b.output.update(from: b.input, count: b.inputCount) }
    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        inputGradient?.update(from: gradient, count: b.inputCount)
    }
}

extension Dropout: BufferedLayer {
    public func outputShape(forInput sample: [Int]) -> [Int]? { sample }
    public func savedCount(forInput sample: [Int]) -> Int { sample.reduce(1, *) }

    /// The mask drawn as the graph form draws it (one uniform per element, in order), kept in `saved`.
    public func forward(_ b: LayerBuffers) {
        let mask = b.saved!, n = b.inputCount
        drawMask(into: mask, count: n)
        for i in 0..<n { b.output[i] = b.input[i] * mask[i] }
    }

    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        let mask = b.saved!
        for i in 0..<b.inputCount { inputGradient[i] = gradient[i] * mask[i] }
    }
}

extension Conv2d: BufferedLayer {
    public func outputShape(forInput sample: [Int]) -> [Int]? { outputShape(sample) }
    /// ReLU, in the same sweep as the bias.
    public func fuses(forward activation: ActivationFunction) -> Bool { activation == .relu }

    /// `Conv2DKernel.forward` (the lowered columns are not kept: backward lowers again, in cache).
    public func forward(_ b: LayerBuffers) {
        let shape = geometry(b.inputShape), work = workspace.reserve(Conv2DKernel.workspaceCount(shape))
        weight.value.withUnsafeBufferPointer { w in
            func run(_ bias: UnsafePointer<Float>?) {
                Conv2DKernel.forward(shape, samples: b.rows, x: b.input, weight: w.baseAddress!, bias: bias,
                                     relu: b.outputActivation == .relu, y: b.output,
                                     workspace: work)
            }
            if let bias { bias.value.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
        }
    }

    /// `Conv2DKernel.backward`: the weight and bias gradients and, where one is wanted,
    /// `inputGradient`, in one pass over the samples.
    public func backward(_ b: LayerBuffers, gradient g: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        let shape = geometry(b.inputShape), work = workspace.reserve(Conv2DKernel.workspaceCount(shape))
        weight.value.withUnsafeBufferPointer { w in
            weight.overwritingGradient { dW in
                func run(_ db: UnsafeMutablePointer<Float>?) {
                    Conv2DKernel.backward(shape, samples: b.rows, x: b.input, dy: g, weight: w.baseAddress!, dW: dW, db: db,
                                          dx: inputGradient, workspace: work)
                }
                if let bias { bias.overwritingGradient { run($0) } } else { run(nil) }
            }
        }
    }

    /// The kernel's shapes for `[C, H, W]` samples.
    public func geometry(_ sample: [Int]) -> Conv2DShape {
        Conv2DShape(channels: inChannels, height: sample[1], width: sample[2], outChannels: outChannels,
                    window: Window2D(kernel: kernelSize, stride: stride, padding: padding))
    }
}

extension MaxPool2d: BufferedLayer {
    public func outputShape(forInput sample: [Int]) -> [Int]? { outputShape(sample) }
    /// ReLU's backward, in the pass that routes the gradient to the chosen inputs.
    public func fuses(backward activation: ActivationFunction) -> Bool { activation == .relu }
    /// One choice (an `Int32` offset in the sample) per output value.
    public func savedCount(forInput sample: [Int]) -> Int {
        let w = Window2D(kernel: kernelSize, stride: stride)
        return sample.count == 3 ? sample[0] * w.output(sample[1]) * w.output(sample[2]) : 0
    }

    public func forward(_ b: LayerBuffers) {
        let s = b.inputShape
        MaxPool2DKernel.forward(channels: s[0], height: s[1], width: s[2], Window2D(kernel: kernelSize, stride: stride),
                                samples: b.rows, x: b.input, y: b.output, argmax: choices(b))
    }

    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        let s = b.inputShape
        MaxPool2DKernel.backward(channels: s[0], height: s[1], width: s[2], Window2D(kernel: kernelSize, stride: stride),
                                 samples: b.rows, dy: gradient, argmax: choices(b), dx: inputGradient,
                                 relu: b.inputActivation == .relu ? (b.input, UnsafePointer(b.output)) : nil)
    }

    /// The `saved` buffer holds the choices: 4-byte offsets, in place of the floats.
    private func choices(_ b: LayerBuffers) -> UnsafeMutablePointer<Int32> {
        UnsafeMutableRawPointer(b.saved!).bindMemory(to: Int32.self, capacity: b.rows * savedCount(forInput: b.inputShape))
    }
}
