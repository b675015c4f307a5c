import Autograd
import TensorCore

/// The function behind a registered loss: input, target and validated options in, loss out.
public typealias LossForward = @Sendable (Variable, LossTarget, LossOptions) throws(LossError) -> Variable

/// A loss's value and gradient on raw buffers, for training loops that keep
/// their own (Training's `StepPlan`): the input's values laid out as `shape`,
/// the target and the validated options in; `∂loss/∂input` written to the
/// pointer (one value per input element) and the loss value returned. Nil
/// when these options or targets have no such form: then call the loss.
public typealias LossGradient = @Sendable (UnsafeBufferPointer<Float>, [Int], LossTarget, LossOptions,
                                           UnsafeMutablePointer<Float>) throws(LossError) -> Float?

/// A registered loss: its name, option schema and the function it forwards to.
public struct LossSpec: Sendable {
    public var name: String
    /// One line on what the loss computes and the shapes it takes.
    public var summary: String
    public var options: [LossOptionSchema]
    public var forward: LossForward
    /// The same loss on raw buffers, when it has that form (`cross_entropy`, `bce_with_logits`).
    public var gradient: LossGradient?

    public init(name: String, summary: String, options: [LossOptionSchema], forward: @escaping LossForward,
                gradient: LossGradient? = nil) {
        (self.name, self.summary, self.options, self.forward, self.gradient) = (name, summary, options, forward, gradient)
    }
}

/// A configured loss, as a PyTorch `nn.Module` loss: it holds validated options
/// and forwards to the functional code.
///
/// ```swift
/// let loss = try LossRegistry.standard.make(name: "cross_entropy", options: ["label_smoothing": .number(0.1)])
/// let value = try loss(logits, .classes(labels))
/// ```
public struct Loss: Sendable {
    public let name: String
    /// Every option of the loss, defaults filled in.
    public let options: LossOptions
    let forward: LossForward
    let gradient: LossGradient?

    /// Evaluates the loss (differentiable with respect to `input`).
    public func callAsFunction(_ input: Variable, _ target: LossTarget) throws(LossError) -> Variable {
        try forward(input, target, options)
    }

    /// The loss of `input` (values laid out as `shape`) and its gradient, written
    /// to `gradient` (`input.count` values), without building a graph; the same
    /// numbers `callAsFunction` and `backward()` give. Nil when this loss, its
    /// options or this target have no buffer form: call the loss instead.
    public func value(_ input: UnsafeBufferPointer<Float>, shape: [Int], _ target: LossTarget,
                      gradient into: UnsafeMutablePointer<Float>) throws(LossError) -> Float? {
        guard let gradient else { return nil }
        return try gradient(input, shape, target, options, into)
    }
}

/// Named losses and their option schemas. A value: each registry is
/// independent; `LossRegistry.standard` is a fresh one holding the built-ins.
public struct LossRegistry: Sendable {
    private var specs: [String: LossSpec] = [:]
    /// Names that came with `standard` (plugins may not replace them).
    public internal(set) var builtInNames: Set<String> = []

    /// An empty registry.
    public init() {}

    /// A new registry holding every built-in loss.
    public static var standard: LossRegistry {
        var registry = LossRegistry()
        for spec in BuiltInLosses.all { registry.specs[spec.name] = spec }
        registry.builtInNames = Set(registry.specs.keys)
        return registry
    }

    /// Registered names, sorted.
    public var names: [String] { specs.keys.sorted() }

    /// The spec registered under `name`.
    public func spec(named name: String) -> LossSpec? { specs[name] }

    /// Adds a loss; a name already taken is `duplicateName`.
    public mutating func register(_ spec: LossSpec) throws(LossError) {
        guard specs[spec.name] == nil else { throw .duplicateName(spec.name) }
        specs[spec.name] = spec
    }

    /// Adds a loss from its parts (`options` defaults to just `reduction`).
    public mutating func register(name: String, summary: String = "",
                                  options: [LossOptionSchema] = [.reduction()],
                                  factory: @escaping LossForward) throws(LossError) {
        try register(LossSpec(name: name, summary: summary, options: options, forward: factory))
    }

    /// A configured loss: `options` are checked against the schema (unknown
    /// names, types, allowed values) and the defaults filled in. PyTorch's deprecated
    /// `size_average` and `reduce` become `reduction` as PyTorch maps them, for the built-in
    /// losses whose PyTorch module takes them (``LegacyReduction``; its `warning` says so).
    public func make(name: String, options given: [String: LossOption] = [:]) throws(LossError) -> Loss {
        guard let spec = specs[name] else { throw .unknownLoss(name: name, suggestions: suggestions(for: name)) }
        var options = given
        if builtInNames.contains(name), LegacyReduction.builtInLosses.contains(name) {
            options = try LegacyReduction.resolve(given, loss: name).options
        }
        var resolved: [String: LossOption] = [:]
        for schema in spec.options { resolved[schema.name] = schema.defaultValue }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            guard let schema = spec.options.first(where: { $0.name == key }) else {
                throw .unknownOption(loss: name, option: key, known: spec.options.map(\.name))
            }
            guard schema.accepts(value) else {
                throw .badOption(loss: name, option: key, value: value.description, expected: schema.expected)
            }
            resolved[key] = value
        }
        return Loss(name: name, options: LossOptions(resolved), forward: spec.forward, gradient: spec.gradient)
    }

    /// Registered names close to `name` (see `Suggestion.ranked`), closest first, at most three.
    public func suggestions(for name: String) -> [String] {
        Array(Suggestion.ranked(for: name, among: names).prefix(3))
    }
}
