import NN
import TensorCore

/// One parameter's optimizer state: its step count and its buffers by PyTorch's
/// names (`exp_avg`, `momentum_buffer`, …), each the parameter's shape.
final class ParameterState {
    var step = 0
    let buffers: [String: FloatBuffer]

    init(shape: [Int], names: [String]) {
        buffers = Dictionary(uniqueKeysWithValues: names.map { ($0, FloatBuffer(zeros: shape)) })
    }

    init(copying tensors: [String: Tensor], step: Int) {
        buffers = tensors.mapValues(FloatBuffer.init(copying:))
        self.step = step
    }

    /// The buffer named `name`, if this state has one.
    subscript(name: String) -> UnsafeMutablePointer<Float>? { buffers[name]?.pointer }
}

/// The state of every parameter an optimizer updates, saved and loaded one way for
/// all of them. A parameter's state is created at its first step (PyTorch's lazy
/// state), so `stateTensors()` numbers parameters by position but lists only those
/// that have stepped.
struct OptimizerState {
    /// Whether the algorithm counts steps per parameter (saved as `step`, shape `[]`).
    let countsSteps: Bool
    private(set) var perParameter: [ParameterState?]

    init(parameters: Int, countsSteps: Bool) {
        self.countsSteps = countsSteps
        perParameter = Array(repeating: nil, count: parameters)
    }

    /// Parameter `index`'s state, created zero-filled with `buffers` at its first use.
    /// `isNew` is true on that first use.
    /// (`buffers` is evaluated only then: a step allocates nothing.)
    mutating func state(_ index: Int, shape: @autoclosure () -> [Int], buffers: @autoclosure () -> [String])
        -> (state: ParameterState, isNew: Bool) {
        if let existing = perParameter[index] { return (existing, false) }
        let created = ParameterState(shape: shape(), names: buffers())
        perParameter[index] = created
        return (created, true)
    }

    /// PyTorch's `state_dict()["state"]`, flattened to `"optimizer.state.<index>.<name>"`.
    func tensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (index, state) in perParameter.enumerated() {
            guard let state else { continue }
            if countsSteps { out[stateKey(index, "step")] = Tensor(Float(state.step)) }
            for (name, buffer) in state.buffers { out[stateKey(index, name)] = buffer.tensor }
        }
        return out
    }

    /// Replaces every parameter's state with the saved one; `expected` names the buffers a
    /// saved parameter must have under the current options. Loads nothing when anything
    /// does not fit (see `validateState`).
    mutating func load(_ saved: [String: Tensor], parameters: [Parameter], expected: [String]) throws(OptimizerError) {
        let present = try validateState(saved, parameters: parameters, tensorNames: expected, hasStep: countsSteps)
        perParameter = Array(repeating: nil, count: parameters.count)
        for index in present {
            let tensors = Dictionary(uniqueKeysWithValues: expected.map { ($0, saved[stateKey(index, $0)]!) })
            perParameter[index] = ParameterState(copying: tensors, step: countsSteps ? Int(saved[stateKey(index, "step")]!.item) : 0)
        }
    }
}

/// The shared implementation of the built-in optimizers: the parameters and their
/// state, created lazily and saved and loaded one way (`stateTensors`, `loadState`).
/// A subclass names the buffers its options keep (`bufferNames`) and implements `step()`.
public class OptimizerWithState {
    /// The parameters updated, in state-numbering order.
    public let parameters: [Parameter]
    /// The step size (PyTorch's `param_groups[0]["lr"]`); schedulers set it.
    public var learningRate: Float
    var state: OptimizerState

    init(parameters: [Parameter], learningRate: Float, countsSteps: Bool) {
        self.parameters = parameters
        self.learningRate = learningRate
        state = OptimizerState(parameters: parameters.count, countsSteps: countsSteps)
    }

    /// The buffers each parameter keeps under the current options.
    var bufferNames: [String] { [] }

    /// The per-parameter state, keyed `"optimizer.state.<index>.<name>"`.
    public func stateTensors() -> [String: Tensor] { state.tensors() }

    /// Replaces the state with a saved one; throws `OptimizerError.stateMismatch`
    /// listing every unknown, missing or mis-shaped entry (and loads nothing then).
    public func loadState(_ saved: [String: Tensor]) throws(OptimizerError) {
        try state.load(saved, parameters: parameters, expected: bufferNames)
    }
}
