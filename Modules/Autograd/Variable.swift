import TensorCore

/// A node of the reverse-mode autodiff graph: a tensor value, its gradient, and
/// for computed values the inputs it came from with one backward rule each.
///
/// An op builds its output value and, per input, a closure that maps the
/// output's gradient to that input's gradient. `backward()` sorts the graph
/// topologically and walks it once in reverse, summing gradients; gradients of
/// broadcast inputs are reduced back with `Tensor.unbroadcast(to:)`, in one place.
///
/// ```swift
/// let w = Variable(Tensor([1, 2]), requiresGrad: true)
/// let y = (w * w).sum()
/// y.backward()
/// w.grad  // [2, 4]
/// ```
public final class Variable {
    /// The value this node holds. Optimizers update parameters through it.
    public var value: Tensor
    /// The gradient accumulated by `backward()`, shaped like `value`; nil until then.
    public var grad: Tensor?
    /// Whether gradients flow to (and through) this node.
    public let requiresGrad: Bool
    /// The inputs and their backward rules; emptied once `backward()` has used them.
    private var inputs: [(node: Variable, rule: (Tensor) -> Tensor)]

    /// A leaf: a constant input (`requiresGrad: false`) or a parameter (`true`).
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.inputs = []
    }

    /// The result of an op. `rules[i]` maps this node's gradient to the gradient
    /// of `inputs[i]` (before un-broadcasting). The graph is recorded only when
    /// some input needs a gradient and `GradMode.isEnabled`.
    public init(_ value: Tensor, inputs: [Variable], rules: [(Tensor) -> Tensor]) {
        precondition(inputs.count == rules.count, "one backward rule per input")
        self.value = value
        let tracked = inputs.contains { $0.requiresGrad } && GradMode.isEnabled
        self.requiresGrad = tracked
        var kept: [(node: Variable, rule: (Tensor) -> Tensor)] = []
        if tracked {
            kept.reserveCapacity(inputs.count)
            for (input, rule) in zip(inputs, rules) where input.requiresGrad { kept.append((input, rule)) }
        }
        self.inputs = kept
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
    /// True for nodes not produced by a recorded op (parameters and constants).
    public var isLeaf: Bool { inputs.isEmpty }

    /// A new leaf with the same value and no history, as `tensor.detach()`.
    public func detached() -> Variable { Variable(value) }

    /// Clears the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() { grad = nil }

    /// Back-propagates from this node. `seed` is the gradient of the final
    /// objective with respect to this node; it defaults to ones, so a
    /// non-scalar output back-propagates the gradient of its sum. Leaf
    /// gradients accumulate across calls until `zeroGrad()`; the graph behind
    /// this node is freed afterwards.
    public func backward(seed: Tensor? = nil) {
        guard requiresGrad else { return }
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed ?? .ones(like: value)]
        for node in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            // Sums add in place: copying a gradient out to add to it would share its
            // storage and make `+=` copy the whole buffer.
            if node.isLeaf {
                if node.grad == nil { node.grad = g } else { node.grad!.add(g) }
                continue
            }
            for (input, rule) in node.inputs {
                let contribution = rule(g).unbroadcast(to: input.shape)
                let key = ObjectIdentifier(input)
                if pending[key] == nil { pending[key] = contribution } else { pending[key]!.add(contribution) }
            }
            node.inputs = []
        }
    }

    /// Nodes reachable from this one, each after all of its inputs
    /// (iterative depth-first search, so deep graphs do not overflow the stack).
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let child = node.inputs[next].node
                if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

extension Variable: CustomStringConvertible {
    public var description: String { "Variable(\(value), requiresGrad: \(requiresGrad))" }
}

/// Whether ops record the graph. Off inside `noGrad { … }`, as `torch.no_grad()`.
/// Task-local, so one thread's evaluation never switches off another's training.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording the autodiff graph (evaluation, optimizer steps).
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}
