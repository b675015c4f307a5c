import Autograd
import TensorCore

/// The buffers of one layer in one `StepPlan` step: `rows` samples, input
/// `[rows, inputWidth]`, output `[rows, outputWidth]`, and `saved`
/// `[rows, savedWidth]` (what the layer keeps from forward for backward).
public struct LayerBuffers {
    public var rows: Int
    public var inputWidth: Int, outputWidth: Int
    public var input: UnsafePointer<Float>
    public var output: UnsafeMutablePointer<Float>
    public var saved: UnsafeMutablePointer<Float>?
    /// Values in the input and in the output.
    public var inputCount: Int { rows * inputWidth }
    public var outputCount: Int { rows * outputWidth }

    public init(rows: Int, inputWidth: Int, outputWidth: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                saved: UnsafeMutablePointer<Float>?) {
        (self.rows, self.inputWidth, self.outputWidth, self.input, self.output, self.saved) = (rows, inputWidth, outputWidth, input, output, saved)
    }
}

/// A layer that also runs on buffers a `StepPlan` owns, rows in and rows out,
/// with no graph and no allocation. Forward fills `output`; backward maps the
/// output's gradient to the input's and writes (not adds) the parameters'
/// gradients. It uses the same kernels as the layer's graph form, so both
/// give the same numbers, bit for bit.
public protocol BufferedLayer: Layer {
    /// Values per output row for `width` per input row; nil when the layer cannot take that width.
    func outputWidth(forInput width: Int) -> Int?
    /// Values per row kept from forward for backward (Dropout's mask); 0 for most layers.
    func savedWidth(forInput width: Int) -> Int
    func forward(_ buffers: LayerBuffers)
    /// `gradient` is `∂loss/∂output`; `inputGradient` receives `∂loss/∂input`, and
    /// is nil where nothing needs it (the first layer).
    func backward(_ buffers: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?)
}

extension BufferedLayer {
    public func savedWidth(forInput width: Int) -> Int { 0 }
}

extension Variable {
    /// Calls `body` with the gradient's storage for overwriting, making a zero
    /// gradient of the value's shape first when there is none (the first step).
    func overwritingGradient(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        if grad?.shape != value.shape { grad = .zeros(value.shape) }
        grad!.withUnsafeMutableBufferPointer { if let p = $0.baseAddress { body(p) } }
    }
}

extension Linear: BufferedLayer {
    public func outputWidth(forInput width: Int) -> Int? { width == inFeatures ? outFeatures : nil }

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
    public func outputWidth(forInput width: Int) -> Int? { width }
    public func forward(_ b: LayerBuffers) { function.apply(b.input, into: b.output, count: b.inputCount) }
    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        guard let inputGradient else { return }
        function.backward(gradient, input: b.input, output: b.output, into: inputGradient, count: b.inputCount)
    }
}

extension Flatten: BufferedLayer {
    /// Rows are already flat: a copy each way.
    public func outputWidth(forInput width: Int) -> Int? { width }
    public func forward(_ b: LayerBuffers) { b.output.update(from: b.input, count: b.inputCount) }
    public func backward(_ b: LayerBuffers, gradient: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?) {
        inputGradient?.update(from: gradient, count: b.inputCount)
    }
}

extension Dropout: BufferedLayer {
    public func outputWidth(forInput width: Int) -> Int? { width }
    public func savedWidth(forInput width: Int) -> Int { width }

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
