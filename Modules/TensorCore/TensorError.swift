/// Errors raised when tensors cannot be combined or built as asked.
public enum TensorError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Two shapes that do not broadcast together.
    case cannotBroadcast([Int], [Int])
    /// A shape whose element count differs from the values given.
    case countMismatch(shape: [Int], count: Int)
    /// A reshape to a shape with a different element count.
    case cannotReshape(from: [Int], to: [Int])
    /// An axis outside `-rank..<rank`.
    case invalidAxis(axis: Int, rank: Int)
    /// Matrix operands whose inner dimensions differ.
    case matmulMismatch([Int], [Int])
    /// An index outside `0..<size` along an axis.
    case indexOutOfRange(index: Int, size: Int)

    public var description: String {
        switch self {
        case let .cannotBroadcast(a, b): "cannot broadcast \(a) with \(b)"
        case let .countMismatch(shape, count): "shape \(shape) needs \(Shape.count(shape)) values, got \(count)"
        case let .cannotReshape(from, to): "cannot reshape \(from) (\(Shape.count(from)) values) to \(to)"
        case let .invalidAxis(axis, rank): "axis \(axis) is out of range for a tensor of rank \(rank)"
        case let .matmulMismatch(a, b): "cannot multiply matrices of shapes \(a) and \(b)"
        case let .indexOutOfRange(index, size): "index \(index) is out of range for size \(size)"
        }
    }
}
