import Autograd
import Data
import Losses
import NN
import TensorCore

/// The training step of a `Sequential` run on buffers allocated once: the same
/// arithmetic as building the graph and calling `backward()`, bit for bit,
/// without the graph — no nodes, closures or tensors per step, so no heap
/// allocation once the buffers exist (after the first full and the first
/// partial batch).
///
/// Forward runs each `BufferedLayer` into its output buffer; the loss's buffer
/// form (`Loss.value(_:shape:_:gradient:)`, e.g. `cross_entropy`,
/// `bce_with_logits`) writes the loss gradient; backward walks the layers in
/// reverse between two gradient buffers and overwrites every parameter's
/// `grad`. A loss without a buffer form runs in the graph on a copy of the
/// model output (small allocations, same numbers).
///
/// `Trainer` makes one for a plain model and loss when every layer is a
/// `BufferedLayer` (Linear, activations, Dropout, Flatten, Conv2d, MaxPool2d) and
/// uses it for every batch: rows of features `[B, D]` or planes `[B, C, H, W]`.
///
/// Passes are fused where the values stay the same: an activation after a layer
/// that applies it in its own forward (ReLU after `Conv2d`, with the bias) runs as a
/// view of that layer's output, and its backward is skipped when the next layer
/// applies its derivative (`MaxPool2d` after ReLU); a view layer (`Flatten`) passes
/// its input's buffer on and the gradient back, with no copy.
public final class StepPlan {
    public let model: Sequential
    private let layers: [any BufferedLayer]
    private let fusions: [Fusion]
    private let graphLoss: LossFunction
    private let bufferLoss: Loss?
    /// `shapes[0]` is one sample's input shape, `shapes[i + 1]` layer `i`'s output's;
    /// `widths` are their element counts.
    private var shapes: [[Int]] = []
    private var widths: [Int] = []
    private var savedWidths: [Int] = []
    private var capacity = 0
    private var outputs: [FloatBuffer] = []
    private var saved: [FloatBuffer?] = []
    private var gradient: FloatBuffer?, spareGradient: FloatBuffer?
    /// The model output's shape for each batch size seen, so no shape is built per step.
    private var outputShapes: [Int: [Int]] = [:]
    /// Rows of the last step's model output.
    private var lastRows = 0

    /// A plan for `model`, or nil when some layer has no buffer form.
    /// - Parameters:
    ///   - model: the model whose training step the plan runs.
    ///   - loss: the loss as the graph computes it (for losses without a buffer form).
    ///   - bufferLoss: the same loss from the registry, whose buffer form is used when it has one.
    public init?(model: Sequential, loss: @escaping LossFunction, bufferLoss: Loss? = nil) {
        let layers = model.layers.compactMap { $0 as? any BufferedLayer }
        guard !layers.isEmpty, layers.count == model.layers.count else { return nil }
        self.model = model
        self.layers = layers
        self.fusions = Fusion.plan(layers)
        self.graphLoss = loss
        self.bufferLoss = bufferLoss
    }

    /// Forward, loss and backward of one batch; every parameter's `grad` is
    /// overwritten. Returns the loss (the gradients are left unfinished when
    /// it is not finite), or nil for a batch without samples, which the caller
    /// then runs through the graph.
    public func run(_ batch: Batch) throws -> Float? {
        let rows = batch.size, features = batch.features
        guard features.rank >= 2, rows > 0, features.shape[0] == rows else { return nil }
        try prepare(rows: rows, sample: features.shape.dropFirst())
        lastRows = rows
        return try features.withUnsafeBufferPointer { px throws -> Float in
            let x = px.baseAddress!
            forward(rows: rows, input: x)
            let value = try loss(batch.targets, rows: rows, wantsGradient: true)
            guard value.isFinite else { return value }
            var g = gradient!, spare = spareGradient!
            for i in layers.indices.reversed() where !fusions[i].backwardIsView {
                layers[i].backward(buffers(i, rows: rows, input: x), gradient: g.pointer, inputGradient: i == 0 ? nil : spare.pointer)
                swap(&g, &spare)
            }
            return value
        }
    }

    /// The model output `[rows, width]` and the loss of one batch, forward only, on
    /// the plan's buffers: what evaluation needs, with no graph (the layers' own mode
    /// applies, so call it with the model in evaluation mode). The same numbers as
    /// the graph's forward, bit for bit. Nil for a batch without samples.
    public func evaluate(_ batch: Batch) throws -> (output: Tensor, loss: Float)? {
        let rows = batch.size, features = batch.features
        guard features.rank >= 2, rows > 0, features.shape[0] == rows else { return nil }
        try prepare(rows: rows, sample: features.shape.dropFirst())
        lastRows = rows
        features.withUnsafeBufferPointer { px in forward(rows: rows, input: px.baseAddress!) }
        let value = try loss(batch.targets, rows: rows, wantsGradient: false)
        let width = widths.last!
        let output = Tensor(shape: [rows, width], scalars: Array(UnsafeBufferPointer(start: outputs.last!.pointer, count: rows * width)))
        return (output, value)
    }

    /// Correct predictions of the last step's output (see `Trainer.correctPredictions`).
    public func correctPredictions(_ targets: BatchTargets, probabilities: Bool) -> Int {
        let width = widths.last ?? 0
        return Trainer.correctPredictions(UnsafeBufferPointer(start: outputs.last!.pointer, count: lastRows * width),
                                          rows: lastRows, width: width, targets, probabilities: probabilities)
    }

    /// Every layer's forward but the views', for `rows` samples whose features are `x`.
    private func forward(rows: Int, input x: UnsafePointer<Float>) {
        for (i, layer) in layers.enumerated() where !fusions[i].forwardIsView { layer.forward(buffers(i, rows: rows, input: x)) }
    }

    /// Layer `i`'s buffers for a step of `rows` samples whose features are `x`.
    private func buffers(_ i: Int, rows: Int, input x: UnsafePointer<Float>) -> LayerBuffers {
        var b = LayerBuffers(rows: rows, inputShape: shapes[i], outputWidth: widths[i + 1],
                             input: i == 0 ? x : UnsafePointer(outputs[i - 1].pointer), output: outputs[i].pointer,
                             saved: saved[i]?.pointer)
        (b.outputActivation, b.inputActivation) = (fusions[i].outputActivation, fusions[i].inputActivation)
        return b
    }

    /// The loss of the model output, its gradient written to `gradient` (when the
    /// loss has a buffer form, also when `wantsGradient` is false: it is scratch then).
    private func loss(_ targets: BatchTargets, rows: Int, wantsGradient: Bool) throws -> Float {
        let width = widths.last!, output = outputs.last!.pointer, count = rows * width
        let shape = outputShapes[rows] ?? [rows, width]
        if outputShapes[rows] == nil { outputShapes[rows] = shape }
        let target = LossTarget(targets)
        if let bufferLoss, let value = try bufferLoss.value(UnsafeBufferPointer(start: output, count: count), shape: shape,
                                                            target, gradient: gradient!.pointer) {
            return value
        }
        let logits = Variable(Tensor(shape: shape, scalars: Array(UnsafeBufferPointer(start: output, count: count))),
                              requiresGrad: wantsGradient)
        let loss = try graphLoss(logits, targets)
        let value = loss.value.item
        guard wantsGradient, value.isFinite else { return value }
        loss.backward()
        let g = gradient!.pointer
        if let grad = logits.grad { grad.withUnsafeBufferPointer { g.update(from: $0.baseAddress!, count: count) } }
        else { g.update(repeating: 0, count: count) }
        return value
    }

    /// Sizes the buffers for `rows` samples shaped `sample` (a no-op once they fit).
    private func prepare(rows: Int, sample: ArraySlice<Int>) throws {
        if !(shapes.first?.elementsEqual(sample) ?? false) {
            var s = [Array(sample)], kept: [Int] = []
            for (i, layer) in layers.enumerated() {
                guard let next = layer.outputShape(forInput: s[i]) else {
                    throw TrainingError.incompatibleData("layer \(i) (\(layer.summary)) cannot take samples shaped \(s[i])")
                }
                kept.append(layer.savedCount(forInput: s[i]))
                s.append(next)
            }
            guard s.last!.count == 1 else {
                throw TrainingError.incompatibleData("the model's output is shaped \(s.last!) per sample; "
                    + "a loss takes one row of outputs per sample (add a flatten layer)")
            }
            (shapes, widths, savedWidths, capacity) = (s, s.map { $0.reduce(1, *) }, kept, 0)
            outputShapes = [:]
        }
        guard rows > capacity else { return }
        capacity = rows
        outputs = []
        for (i, width) in widths.dropFirst().enumerated() {
            outputs.append(fusions[i].forwardIsView ? outputs[i - 1] : FloatBuffer(zeros: [rows * width]))
        }
        saved = savedWidths.map { $0 > 0 ? FloatBuffer(zeros: [rows * $0]) : nil }
        let widest = widths.max()!
        gradient = FloatBuffer(zeros: [rows * widest])
        spareGradient = FloatBuffer(zeros: [rows * widest])
    }
}

/// How a `StepPlan` runs one layer: with a neighbouring activation fused in, or as a view.
struct Fusion {
    /// The next layer's activation, applied by this layer's forward.
    var outputActivation: ActivationFunction?
    /// The previous layer's activation, whose derivative this layer's backward applies.
    var inputActivation: ActivationFunction?
    /// The output is the input's buffer: forward does not run.
    var forwardIsView = false
    /// The gradient passes back unchanged: backward does not run.
    var backwardIsView = false

    /// The fusions of `layers` (the first layer is never a view: its input is the batch's).
    static func plan(_ layers: [any BufferedLayer]) -> [Fusion] {
        var fusions = [Fusion](repeating: Fusion(), count: layers.count)
        for (i, layer) in layers.enumerated() where i > 0 {
            if layer.isView {
                (fusions[i].forwardIsView, fusions[i].backwardIsView) = (true, true)
                continue
            }
            guard let activation = (layer as? Activation)?.function else { continue }
            if !fusions[i - 1].forwardIsView, fusions[i - 1].outputActivation == nil, layers[i - 1].fuses(forward: activation) {
                (fusions[i - 1].outputActivation, fusions[i].forwardIsView) = (activation, true)
            }
            if i + 1 < layers.count, layers[i + 1].fuses(backward: activation) {
                (fusions[i + 1].inputActivation, fusions[i].backwardIsView) = (activation, true)
            }
        }
        return fusions
    }
}
