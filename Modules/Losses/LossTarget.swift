import Autograd
import TensorCore

/// What a loss compares its input with: float values (regression targets,
/// probabilities, ±1 labels) or integer class indices (`cross_entropy`, `nll`,
/// `multi_margin`). Targets are constants: no gradient flows into them.
public enum LossTarget: Sendable, Equatable {
    /// Float targets.
    case values(Tensor)
    /// Integer class indices.
    case classes(IndexTensor)

    /// The target's shape.
    public var shape: [Int] {
        switch self {
        case let .values(t): t.shape
        case let .classes(t): t.shape
        }
    }

    /// The float target, or `needsFloatTarget` for class indices.
    func floats(_ loss: String) throws(LossError) -> Tensor {
        guard case let .values(t) = self else { throw .needsFloatTarget(loss: loss) }
        return t
    }

    /// The class indices, or `needsClassIndices` for float values.
    func indices(_ loss: String) throws(LossError) -> IndexTensor {
        guard case let .classes(t) = self else { throw .needsClassIndices(loss: loss) }
        return t
    }
}

/// Shared plumbing of the elementwise losses: shape checks, broadcasting and
/// the single fused loop that writes each loss value and its derivative.
enum Elementwise {
    /// Whether a backward rule will be recorded for `input`.
    static func needsGrad(_ input: Variable) -> Bool { input.requiresGrad && GradMode.isEnabled }

    /// The shape the loss is computed at: the input's and target's broadcast
    /// shape, or exactly the input's shape when `broadcasts` is false (as
    /// PyTorch's `bce`, `bce_with_logits`, `multilabel_soft_margin`).
    static func shape(_ loss: String, _ input: [Int], _ target: [Int], broadcasts: Bool) throws(LossError) -> [Int] {
        if input == target { return input }
        guard broadcasts, let shape = try? Shape.broadcast(input, target) else {
            throw .shapeMismatch(loss: loss, input: input, target: target)
        }
        return shape
    }

    /// `weight` broadcast up to `shape` (nil stays nil); it may not enlarge the shape.
    static func expand(_ name: String, _ weight: Tensor?, to shape: [Int]) throws(LossError) -> Tensor? {
        guard let weight else { return nil }
        guard let joint = try? Shape.broadcast(weight.shape, shape), joint == shape else {
            throw .weightShape(option: name, shape: weight.shape, input: shape)
        }
        return weight.broadcast(to: shape)
    }

    /// Rejects a weight with a negative entry.
    static func checkNonNegative(_ name: String, _ weight: Tensor?) throws(LossError) {
        if let bad = weight?.scalars.first(where: { $0 < 0 }) { throw .negativeWeight(option: name, value: bad) }
    }

    /// Runs `body(x, y, a, b) -> (loss, ∂loss/∂x)` once per element, where `a`
    /// and `b` are the optional per-element weights (1 when absent).
    @inline(__always)
    static func run(
        _ loss: String, _ input: Variable, _ target: Tensor, broadcasts: Bool = true,
        a: (String, Tensor?) = ("", nil), b: (String, Tensor?) = ("", nil),
        _ body: (Float, Float, Float, Float) -> (Float, Float)
    ) throws(LossError) -> LossTerms {
        let shape = try Elementwise.shape(loss, input.shape, target.shape, broadcasts: broadcasts)
        let x = input.value.broadcast(to: shape), y = target.broadcast(to: shape)
        let wa = try expand(a.0, a.1, to: shape), wb = try expand(b.0, b.1, to: shape)
        let (values, derivative) = buildTerms(shape, shape, withDerivative: needsGrad(input)) { out, pd in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeBufferPointer { py in
                    (wa ?? Tensor(1)).withUnsafeBufferPointer { pa in
                        (wb ?? Tensor(1)).withUnsafeBufferPointer { pb in
                            let ma = wa == nil ? 0 : 1, mb = wb == nil ? 0 : 1
                            if let pd {
                                for i in 0..<out.count {
                                    (out[i], pd[i]) = body(px[i], py[i], pa[i &* ma], pb[i &* mb])
                                }
                            } else {
                                for i in 0..<out.count { out[i] = body(px[i], py[i], pa[i &* ma], pb[i &* mb]).0 }
                            }
                        }
                    }
                }
            }
        }
        return LossTerms(values: values, derivative: derivative)
    }

    /// Allocates the values (`valueShape`) and, when asked, the derivative
    /// (`derivativeShape`) and lets `body` write both in one pass, uninitialized.
    @inline(__always)
    static func buildTerms(
        _ valueShape: [Int], _ derivativeShape: [Int], withDerivative: Bool,
        _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>?) -> Void
    ) -> (Tensor, Tensor?) {
        guard withDerivative else { return (Tensor.build(shape: valueShape) { body($0, nil) }, nil) }
        var derivative: Tensor?
        let values = Tensor.build(shape: valueShape) { out in
            derivative = Tensor.build(shape: derivativeShape) { body(out, $0) }
        }
        return (values, derivative)
    }
}
