import Foundation
import TensorCore

/// One option value as it arrives from a JSON case, a YAML config or code.
public enum LossOption: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case string(String)
    case tensor(Tensor)

    public var description: String {
        switch self {
        case let .number(v): v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case let .bool(b): String(b)
        case let .string(s): "'\(s)'"
        case let .tensor(t): "tensor of shape \(t.shape)"
        }
    }
}

extension LossOption {
    /// An option from a parsed JSON or YAML value: `true`/`false`, a number, a
    /// string, a list of numbers (a 1-D tensor) or a `{shape, data}` tensor; nil otherwise.
    public init?(parsed value: Any) {
        func floats(_ list: [Any]) -> [Float]? {
            let numbers = list.compactMap { item -> Float? in
                if let n = item as? NSNumber, !LossOption.isBoolean(n) { return n.floatValue }
                return (item as? Double).map(Float.init) ?? (item as? Int).map(Float.init)
            }
            return numbers.count == list.count ? numbers : nil
        }
        switch value {
        case let n as NSNumber where !LossOption.isBoolean(n): self = .number(n.doubleValue)
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .number(Double(i))
        case let d as Double: self = .number(d)
        case let s as String: self = .string(s)
        case let list as [Any]:
            guard let numbers = floats(list) else { return nil }
            self = .tensor(Tensor(numbers))
        case let object as [String: Any]:
            guard let shape = object["shape"] as? [Int], let data = (object["data"] as? [Any]).flatMap(floats),
                  let t = try? Tensor.validated(shape: shape, scalars: data) else { return nil }
            self = .tensor(t)
        default: return nil
        }
    }

    /// JSON `true`/`false` arrive as NSNumber too; tell them from the numbers 0 and 1.
    static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c" || type(of: n as Any) == Bool.self
    }
}

/// The declared type, default and meaning of one option of a loss.
public struct LossOptionSchema: Sendable {
    /// What values an option accepts.
    public enum Kind: Sendable, Equatable {
        /// Any real number inside `range` (when given).
        case number(ClosedRange<Double>? = nil)
        /// An integer (a number with no fractional part) among `allowed` (when given).
        case integer([Int]? = nil)
        case bool
        /// One of the listed strings.
        case choice([String])
        /// A float tensor (weights).
        case tensor
    }

    /// PyTorch's keyword name, e.g. `ignore_index`.
    public var name: String
    public var kind: Kind
    /// The value used when the option is not given; nil means "absent" (e.g. no weight).
    public var defaultValue: LossOption?
    /// One line on what the option does.
    public var doc: String

    public init(_ name: String, _ kind: Kind, default defaultValue: LossOption?, doc: String) {
        (self.name, self.kind, self.defaultValue, self.doc) = (name, kind, defaultValue, doc)
    }

    /// The `reduction` option; `batchmean` is offered only where asked (kl_div).
    public static func reduction(default value: String = "mean", batchmean: Bool = false) -> LossOptionSchema {
        LossOptionSchema("reduction", .choice(["none", "mean", "sum"] + (batchmean ? ["batchmean"] : [])),
                         default: .string(value), doc: "how per-element losses are combined")
    }

    /// A human description of the accepted values, used in error messages and `losses list`.
    public var expected: String {
        switch kind {
        case let .number(range?): Self.text(range)
        case .number: "a number"
        case let .integer(allowed?): "one of " + allowed.map(String.init).joined(separator: ", ")
        case .integer: "an integer"
        case .bool: "true or false"
        case let .choice(values): "one of " + values.joined(separator: ", ")
        case .tensor: "a tensor"
        }
    }

    /// A range as a person writes it: `a number > 0` for `leastNonzeroMagnitude...infinity`,
    /// `a number ≥ 0`, `a number in [0, 1]`, `a number` for the whole line; an end one ulp
    /// from a shorter number is that number, excluded (`>`, `<`, or `(` `)`).
    static func text(_ range: ClosedRange<Double>) -> String {
        func short(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
        /// The bound, and whether it is the open end of a shorter number.
        func bound(_ x: Double, _ outward: Double) -> (text: String, open: Bool) {
            x.isFinite && short(outward).count < short(x).count ? (short(outward), true) : (short(x), false)
        }
        let (low, high) = (bound(range.lowerBound, range.lowerBound.nextDown), bound(range.upperBound, range.upperBound.nextUp))
        switch (range.lowerBound.isFinite, range.upperBound.isFinite) {
        case (false, false): return "a number"
        case (true, false): return "a number \(low.open ? ">" : "≥") \(low.text)"
        case (false, true): return "a number \(high.open ? "<" : "≤") \(high.text)"
        case (true, true): return "a number in \(low.open ? "(" : "[")\(low.text), \(high.text)\(high.open ? ")" : "]")"
        }
    }

    /// `value` if it fits this option, else nil.
    func accepts(_ value: LossOption) -> Bool {
        switch (kind, value) {
        case let (.number(range), .number(v)): return range.map { $0.contains(v) } ?? !v.isNaN
        case let (.integer(allowed), .number(v)):
            guard v == v.rounded(), abs(v) < 1e15 else { return false }
            return allowed.map { $0.contains(Int(v)) } ?? true
        case (.bool, .bool), (.tensor, .tensor): return true
        case let (.choice(values), .string(s)): return values.contains(s)
        default: return false
        }
    }
}

/// A loss's options after validation, defaults filled in. The typed accessors
/// trust the schema check done by `LossRegistry.make`.
public struct LossOptions: Sendable, Equatable {
    public private(set) var values: [String: LossOption]

    public init(_ values: [String: LossOption] = [:]) { self.values = values }

    public subscript(name: String) -> LossOption? { values[name] }

    public func number(_ name: String) -> Float {
        if case let .number(v)? = values[name] { return Float(v) }
        return 0
    }
    public func integer(_ name: String) -> Int {
        if case let .number(v)? = values[name] { return Int(v) }
        return 0
    }
    public func bool(_ name: String) -> Bool {
        if case let .bool(b)? = values[name] { return b }
        return false
    }
    public func tensor(_ name: String) -> Tensor? {
        if case let .tensor(t)? = values[name] { return t }
        return nil
    }
    /// The `reduction` option (`mean` when absent).
    public var reduction: LossReduction {
        if case let .string(s)? = values["reduction"], let r = LossReduction(rawValue: s) { return r }
        return .mean
    }
}
