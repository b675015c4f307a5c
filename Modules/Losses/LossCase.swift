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
    /// Why `expected` could not be read (a malformed value or gradient); such a
    /// case never matches, so a damaged expectation cannot pass unnoticed.
    public var expectedError: String?
    /// Why the input or target could not be read; reported after the loss
    /// name and options are checked, so those errors still come first.
    public var formatError: String?

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
        if loss.isEmpty, let formatError { return .error(formatError) }
        do throws(LossError) {
            let loss = try registry.make(name: self.loss, options: options)
            if let formatError { return .error(formatError) }
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
    /// A case without a readable `expected` never matches: there is nothing to compare with.
    public func mismatch(_ outcome: Outcome, abs: Double = 1e-5, rel: Double = 1e-4) -> String? {
        switch (expected, outcome) {
        case (nil, _): return "cannot compare: " + (expectedError ?? "no \"expected\" result")
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
    /// Reads `{"tolerance": …, "cases": [...]}` JSON, keeping the file's order.
    /// A malformed case is kept with its `formatError` (and evaluates to that
    /// error) instead of stopping the others.
    public static func decodeFile(_ data: Data) throws -> [LossCase] {
        guard let root = try parseAllowingNonFinite(data) as? [String: Any],
              let list = root["cases"] as? [Any] else {
            throw CaseFormatError("expected an object with a \"cases\" array")
        }
        return list.enumerated().map { n, item in
            let object = item as? [String: Any] ?? [:]
            return LossCase(id: object["id"] as? String ?? "case \(n)", json: object)
        }
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

    init(id: String, json: [String: Any]) {
        self.id = id
        loss = json["loss"] as? String ?? ""
        options = [:]
        (input, target) = (Tensor(0), .values(Tensor(0)))
        do {
            expected = try LossCase.expectation(json["expected"])
        } catch {
            expectedError = "\(error)"
        }
        do {
            guard !loss.isEmpty else { throw CaseFormatError("missing \"loss\"") }
            for (key, value) in json["options"] as? [String: Any] ?? [:] where !(value is NSNull) {   // null: PyTorch's None
                options[key] = try LossCase.option(value, key)
            }
        } catch {
            formatError = "\(error)"
            return
        }
        do {
            input = try LossCase.tensor(json["input"], "input")
            let targetJSON = json["target"] as? [String: Any]
            target = targetJSON?["dtype"] as? String == "int"
                ? .classes(try LossCase.indices(targetJSON, "target")) : .values(try LossCase.tensor(targetJSON, "target"))
        } catch {
            formatError = "\(error)"
        }
    }

    /// The `expected` entry: `{"error": substring}` (null or "": any error) or `{"value": tensor, "grad_input": tensor}`
    /// (the gradient optional); nil when absent. Anything else present but unreadable throws.
    static func expectation(_ json: Any?) throws -> Expected? {
        guard let json, !(json is NSNull) else { return nil }
        guard let object = json as? [String: Any] else { throw CaseFormatError("expected is not an object") }
        if let error = object["error"] {
            if error is NSNull { return .error("") }   // any error
            guard let text = error as? String else { throw CaseFormatError("expected.error is not a string") }
            return .error(text)
        }
        let value = try tensor(object["value"], "expected.value")
        let gradient = object["grad_input"] == nil ? nil : try tensor(object["grad_input"], "expected.grad_input")
        return .value(value, gradInput: gradient)
    }

    static func option(_ value: Any, _ key: String) throws -> LossOption {
        guard let option = LossOption(parsed: value) else { throw CaseFormatError("option '\(key)' has an unsupported value") }
        return option
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
    public init(_ description: String) { self.description = description }
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
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
