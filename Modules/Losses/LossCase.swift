import Autograd
import Foundation
import TensorCore

/// A loss case in the shared golden format (`shared/golden/losses.json`):
/// loss name, options, input, target and what PyTorch produced. The CLI's
/// `losses eval` and the golden test both evaluate cases through this type.
public struct LossCase: Sendable {
    public var id: String
    public var loss: String
    public var options: [String: LossOption]
    public var input: Tensor
    public var target: LossTarget
    /// PyTorch's result: value and input gradient, or an error substring.
    public var expected: Expected?

    public enum Expected: Sendable {
        case value(Tensor, gradInput: Tensor?)
        case error(String)
    }

    /// The outcome of evaluating a case: the loss value and the gradient of
    /// its sum with respect to the input, or the error message.
    public enum Outcome: Sendable {
        case value(Tensor, gradInput: Tensor)
        case error(String)
    }

    /// Evaluates the case with `registry`; never traps on bad input.
    public func evaluate(with registry: LossRegistry) -> Outcome {
        do throws(LossError) {
            let loss = try registry.make(name: self.loss, options: options)
            let x = Variable(input, requiresGrad: true)
            let value = try loss(x, target)
            value.backward()
            return .value(value.value, gradInput: x.grad ?? .zeros(like: input))
        } catch {
            return .error(error.description)
        }
    }

    /// Whether `outcome` matches `expected` within `|got − exp| ≤ abs + rel·|exp|`
    /// (for errors: the message contains the expected substring); nil when it does, else why not.
    public func mismatch(_ outcome: Outcome, abs: Double = 1e-5, rel: Double = 1e-4) -> String? {
        switch (expected, outcome) {
        case (nil, _): return nil
        case let (.error(want)?, .error(got)):
            return want.isEmpty || got.lowercased().contains(want.lowercased()) ? nil : "error lacks '\(want)': \(got)"
        case (.error?, .value): return "expected an error, got a value"
        case let (.value?, .error(got)): return "unexpected error: \(got)"
        case let (.value(want, wantGrad)?, .value(got, grad)):
            if let why = LossCase.compare("value", got, want, abs, rel) { return why }
            if let wantGrad { return LossCase.compare("grad_input", grad, wantGrad, abs, rel) }
            return nil
        }
    }

    static func compare(_ name: String, _ got: Tensor, _ want: Tensor, _ abs: Double, _ rel: Double) -> String? {
        guard got.shape == want.shape else { return "\(name) shape \(got.shape) != \(want.shape)" }
        for (i, (a, e)) in zip(got.scalars, want.scalars).enumerated() {
            let (a, e) = (Double(a), Double(e))
            if !(Swift.abs(a - e) <= abs + rel * Swift.abs(e)) { return "\(name)[\(i)] = \(a), expected \(e)" }
        }
        return nil
    }
}

extension LossCase {
    /// Reads `{"tolerance": …, "cases": [...]}` JSON. A malformed case becomes an
    /// entry in `failures` (with its id when known) instead of stopping the others.
    public static func decodeFile(_ data: Data) throws -> (cases: [LossCase], failures: [(id: String, message: String)]) {
        guard let root = try parseAllowingNonFinite(data) as? [String: Any],
              let list = root["cases"] as? [Any] else {
            throw CaseFormatError("expected an object with a \"cases\" array")
        }
        var cases: [LossCase] = [], failures: [(String, String)] = []
        for (n, item) in list.enumerated() {
            let object = item as? [String: Any] ?? [:]
            let id = object["id"] as? String ?? "case \(n)"
            do { cases.append(try LossCase(id: id, json: object)) } catch { failures.append((id, "\(error)")) }
        }
        return (cases, failures)
    }

    /// JSON with Python's `NaN`/`Infinity` tokens allowed (read as strings, then as numbers).
    static func parseAllowingNonFinite(_ data: Data) throws -> Any {
        do { return try JSONSerialization.jsonObject(with: data) } catch {
            guard var text = String(data: data, encoding: .utf8) else { throw error }
            for token in ["-Infinity", "Infinity", "NaN"] {
                text = text.replacingOccurrences(of: "([\\[,:]\\s*)\(token)(?=\\s*[,\\]}])", with: "$1\"\(token)\"",
                                                 options: .regularExpression)
            }
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        }
    }

    init(id: String, json: [String: Any]) throws {
        guard let loss = json["loss"] as? String else { throw CaseFormatError("missing \"loss\"") }
        self.id = id
        self.loss = loss
        var options: [String: LossOption] = [:]
        for (key, value) in json["options"] as? [String: Any] ?? [:] { options[key] = try LossCase.option(value, key) }
        self.options = options
        input = try LossCase.tensor(json["input"], "input")
        let targetJSON = json["target"] as? [String: Any]
        target = targetJSON?["dtype"] as? String == "int"
            ? .classes(try LossCase.indices(targetJSON, "target")) : .values(try LossCase.tensor(targetJSON, "target"))
        if let expected = json["expected"] as? [String: Any] {
            if let error = expected["error"] {
                self.expected = .error(error as? String ?? "")
            } else {
                self.expected = .value(try LossCase.tensor(expected["value"], "expected.value"),
                                       gradInput: try expected["grad_input"].map { try LossCase.tensor($0, "expected.grad_input") })
            }
        }
    }

    static func option(_ value: Any, _ key: String) throws -> LossOption {
        switch value {
        case let b as Bool where LossCase.isBoolean(value): .bool(b)
        case let n as NSNumber: .number(n.doubleValue)
        case let s as String: .string(s)
        case let t as [String: Any]: .tensor(try tensor(t, key))
        default: throw CaseFormatError("option '\(key)' has an unsupported value")
        }
    }

    /// JSON `true`/`false` (not the numbers 0 and 1, which also cast to Bool).
    static func isBoolean(_ value: Any) -> Bool {
        if let n = value as? NSNumber { return String(cString: n.objCType) == "c" || type(of: value) == Bool.self }
        return value is Bool
    }

    static func shapeAndData(_ json: Any?, _ what: String) throws -> ([Int], [Double]) {
        guard let object = json as? [String: Any], let shape = object["shape"] as? [Int],
              let data = object["data"] as? [Any] else { throw CaseFormatError("\(what) is not a {shape, data} tensor") }
        let values = try data.map { item throws -> Double in
            if let n = item as? NSNumber { return n.doubleValue }
            if let s = item as? String, let v = Double(s) { return v }
            throw CaseFormatError("\(what) holds a non-number")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw CaseFormatError("\(what): shape \(shape) has a negative dimension")
        }
        // Checked product: `Shape.count` wraps, and [2^62, 4] would claim 0 values.
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw CaseFormatError("\(what): shape \(shape) has too many elements") }
            count = product
        }
        guard count == values.count else {
            throw CaseFormatError("\(what): shape \(shape) needs \(count) values, got \(values.count)")
        }
        return (shape, values)
    }

    static func tensor(_ json: Any?, _ what: String) throws -> Tensor {
        let (shape, data) = try shapeAndData(json, what)
        return Tensor(shape: shape, scalars: data.map { Float($0) })
    }

    static func indices(_ json: Any?, _ what: String) throws -> IndexTensor {
        let (shape, data) = try shapeAndData(json, what)
        guard data.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e15 }) else { throw CaseFormatError("\(what) holds non-integers") }
        return IndexTensor(shape: shape, indices: data.map { Int($0) })
    }
}

/// A case file or case that does not follow the golden format.
public struct CaseFormatError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension LossCase.Outcome {
    /// The result entry `losses eval` prints: `{"id", "value", "grad_input"}` or
    /// `{"id", "error"}`. Non-finite numbers are written as `NaN`/`Infinity`,
    /// the tokens Python's `json` module reads.
    public func json(id: String) -> String {
        switch self {
        case let .value(value, grad):
            "{\"id\": \(LossCase.quoted(id)), \"value\": \(LossCase.json(value)), \"grad_input\": \(LossCase.json(grad))}"
        case let .error(message):
            "{\"id\": \(LossCase.quoted(id)), \"error\": \(LossCase.quoted(message))}"
        }
    }
}

extension LossCase {
    /// `{"shape": [...], "data": [...]}`.
    static func json(_ t: Tensor) -> String {
        let data = t.scalars.map { v -> String in
            v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "Infinity" : "-Infinity") : "\(v)"
        }
        return "{\"shape\": [\(t.shape.map(String.init).joined(separator: ", "))], \"data\": [\(data.joined(separator: ", "))]}"
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
