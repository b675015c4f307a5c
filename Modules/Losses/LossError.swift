import TensorCore

/// Everything a loss, the registry or a plugin can reject, each with a
/// one-line message naming what was wrong and what was expected.
public enum LossError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `bce` input outside `[0, 1]` (`what` is "input" or "target").
    case notProbability(what: String, value: Float)
    /// Input and target shapes that the loss cannot combine.
    case shapeMismatch(loss: String, input: [Int], target: [Int])
    /// An input rank or shape the loss does not accept.
    case badInputShape(loss: String, shape: [Int], expected: String)
    /// A class index outside `0..<classes` (and not `ignore_index`).
    case classOutOfRange(index: Int, classes: Int)
    /// Float values given where class indices are needed.
    case needsClassIndices(loss: String)
    /// Class indices given where float values are needed.
    case needsFloatTarget(loss: String)
    /// A negative entry in a weight that must be non-negative.
    case negativeWeight(option: String, value: Float)
    /// A per-class weight whose length is not the class count.
    case weightLength(option: String, shape: [Int], classes: Int)
    /// A weight that does not broadcast to the input.
    case weightShape(option: String, shape: [Int], input: [Int])
    /// A loss name the registry does not know.
    case unknownLoss(name: String, suggestions: [String])
    /// An option the loss does not take.
    case unknownOption(loss: String, option: String, known: [String])
    /// An option value of the wrong type or outside its allowed values.
    case badOption(loss: String, option: String, value: String, expected: String)
    /// A name registered twice.
    case duplicateName(String)
    /// A plugin that could not be loaded.
    case plugin(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notProbability(what, value):
            "bce: all elements of \(what) should be between 0 and 1, found \(value)"
        case let .shapeMismatch(loss, input, target):
            "\(loss): target shape \(target) does not match input shape \(input)"
        case let .badInputShape(loss, shape, expected):
            "\(loss): input shape \(shape) is not supported; expected \(expected)"
        case let .classOutOfRange(index, classes):
            "class index \(index) is out of range for \(classes) classes (valid: 0..<\(classes))"
        case let .needsClassIndices(loss):
            "\(loss): target must hold integer class indices, got float values"
        case let .needsFloatTarget(loss):
            "\(loss): target must hold float values, got integer class indices"
        case let .negativeWeight(option, value):
            "\(option) must be non-negative, found \(value)"
        case let .weightLength(option, shape, classes):
            "\(option) must have one entry per class (\(classes) classes), got shape \(shape)"
        case let .weightShape(option, shape, input):
            "\(option) of shape \(shape) does not broadcast to input shape \(input)"
        case let .unknownLoss(name, suggestions):
            suggestions.isEmpty ? "unknown loss '\(name)'"
                : "unknown loss '\(name)'; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
        case let .unknownOption(loss, option, known):
            "\(loss) has no option '\(option)'; options are: \(known.joined(separator: ", "))"
        case let .badOption(loss, option, value, expected):
            "\(loss): bad value \(value) for option '\(option)'; expected \(expected)"
        case let .duplicateName(name):
            "a loss named '\(name)' is already registered"
        case let .plugin(path, reason):
            "cannot load loss plugin \(path): \(reason)"
        }
    }
}
