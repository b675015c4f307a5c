/// The mapping from a CSV's label texts to class indices, saved with a run so
/// predictions can be turned back into names.
///
/// Integer labels (every label parses as an `Int`) keep their value as the
/// index: the classes are `0...max`. Any other labels are sorted (by Unicode
/// scalar order) and numbered from 0.
public struct LabelEncoding: Codable, Sendable, Equatable {
    /// Whether the labels were integers used directly as indices.
    public var integerLabels: Bool
    /// The label text of each class index.
    public var classNames: [String]

    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// The index of a label text, or `nil` if unknown.
    public func index(of label: String) -> Int? {
        if integerLabels { return Int(label).flatMap { $0 >= 0 && $0 < classCount ? $0 : nil } }
        return classNames.firstIndex(of: label)
    }
}
