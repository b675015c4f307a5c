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

    /// The float target. Integer targets are converted when `promotes` is true
    /// (PyTorch type-promotes them for mse, l1, smooth_l1, poisson_nll,
    /// soft_margin, multilabel_soft_margin, hinge_embedding) and are
    /// `needsFloatTarget` otherwise (bce, bce_with_logits, huber, kl_div, … reject them).
    public func floats(_ loss: String, promotes: Bool = false) throws(LossError) -> Tensor {
        switch self {
        case let .values(t): return t
        case let .classes(t) where promotes: return t.asTensor
        case .classes: throw .needsFloatTarget(loss: loss)
        }
    }

    /// The class indices, or `needsClassIndices` for float values.
    public func indices(_ loss: String) throws(LossError) -> IndexTensor {
        guard case let .classes(t) = self else { throw .needsClassIndices(loss: loss) }
        return t
    }
}
