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
    public func floats(_ loss: String) throws(LossError) -> Tensor {
        guard case let .values(t) = self else { throw .needsFloatTarget(loss: loss) }
        return t
    }

    /// The class indices, or `needsClassIndices` for float values.
    public func indices(_ loss: String) throws(LossError) -> IndexTensor {
        guard case let .classes(t) = self else { throw .needsClassIndices(loss: loss) }
        return t
    }
}
