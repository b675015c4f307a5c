import Foundation
import Testing
@testable import Losses

/// Every PyTorch-computed case of the shared golden file (copied into Fixtures)
/// must match in value, input gradient or error, with check.py's tolerance.
@Suite struct GoldenCaseTests {
    static func cases() throws -> [LossCase] {
        let url = try #require(Bundle.module.url(forResource: "losses", withExtension: "json", subdirectory: "Fixtures"))
        let cases = try LossCase.decodeFile(Data(contentsOf: url))
        #expect(cases.allSatisfy { $0.formatError == nil }, "malformed cases: \(cases.filter { $0.formatError != nil }.map(\.id))")
        let unreadable = cases.filter { $0.expected == nil }.map { "\($0.id): \($0.expectedError ?? "no expected")" }
        #expect(unreadable.isEmpty, "cases without a readable expected result: \(unreadable)")
        return cases
    }

    @Test func everyGoldenCaseMatchesPyTorch() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 95)
        let registry = LossRegistry.standard
        for c in cases {
            let why = c.mismatch(c.evaluate(with: registry))
            #expect(why == nil, "\(c.id) (\(c.loss)): \(why ?? "")")
        }
    }

    /// A case whose `expected` cannot be read must fail the comparison, never pass it.
    @Test func unreadableExpectationsNeverMatch() throws {
        let io = #""input": {"shape": [2], "data": [1, 2]}, "target": {"shape": [2], "data": [1, 3]}"#
        let json = #"{"cases": ["#
            + #"{"id": "ragged", "loss": "mse", "# + io + #", "expected": {"value": {"shape": [2], "data": [2]}}},"#
            + #"{"id": "no-value", "loss": "mse", "# + io + #", "expected": {"valeu": {"shape": [], "data": [2]}}},"#
            + #"{"id": "bad-grad", "loss": "mse", "# + io + #", "expected": {"value": {"shape": [], "data": [0.5]}, "grad_input": {"shape": [2]}}},"#
            + #"{"id": "not-object", "loss": "mse", "# + io + #", "expected": [2]},"#
            + #"{"id": "bad-error", "loss": "mse", "# + io + #", "expected": {"error": 3}},"#
            + #"{"id": "absent", "loss": "mse", "# + io + #"},"#
            + #"{"id": "good", "loss": "mse", "# + io + #", "expected": {"value": {"shape": [], "data": [0.5]}, "grad_input": {"shape": [2], "data": [0, -1]}}}"#
            + "]}"
        let cases = try LossCase.decodeFile(Data(json.utf8))
        let registry = LossRegistry.standard
        let why = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0.mismatch($0.evaluate(with: registry))) })
        #expect(why["good"] == .some(nil))
        #expect(why["ragged"]??.contains("expected.value: shape [2] needs 2 values, got 1") == true)
        #expect(why["no-value"]??.contains("expected.value is not a {shape, data} tensor") == true)
        #expect(why["bad-grad"]??.contains("expected.grad_input is not a {shape, data} tensor") == true)
        #expect(why["not-object"]??.contains("expected is not an object") == true)
        #expect(why["bad-error"]??.contains("expected.error is not a string") == true)
        #expect(why["absent"]??.contains("no \"expected\" result") == true)
    }

    @Test func malformedCasesBecomeErrorsInOrder() throws {
        let json = #"{"cases": [{"id": "a", "loss": "cross_entrpy"}, {"id": "b", "loss": "mse", "input": {"shape": [3], "data": [1]}}, {"id": "c"}, {"id": "d", "loss": "mse", "options": {"reduction": "sum"}, "input": {"shape": [2], "data": [1, NaN]}, "target": {"shape": [2], "data": [1, 2]}}]}"#
        let cases = try LossCase.decodeFile(Data(json.utf8))
        #expect(cases.map(\.id) == ["a", "b", "c", "d"])
        let registry = LossRegistry.standard
        guard case let .error(a) = cases[0].evaluate(with: registry) else { Issue.record("a"); return }
        #expect(a.contains("did you mean 'cross_entropy'"))
        guard case let .error(b) = cases[1].evaluate(with: registry) else { Issue.record("b"); return }
        #expect(b.contains("needs 3 values"))
        guard case let .error(c) = cases[2].evaluate(with: registry) else { Issue.record("c"); return }
        #expect(c.contains("loss"))
        guard case let .value(d, _) = cases[3].evaluate(with: registry) else { Issue.record("d"); return }
        #expect(d.item.isNaN)
    }

    @Test func resultJSONUsesPythonTokensForNonFiniteValues() {
        let json = LossCase.Outcome.value(.init(shape: [3], scalars: [.nan, .infinity, 1.5]), gradInput: .zeros([3])).json(id: "a\"b")
        #expect(json.contains("[NaN, Infinity, 1.5]"))
        #expect(json.hasPrefix("{\"id\": \"a\\\"b\""))
    }
}

/// Case files are untrusted input too (issue 9): odd shapes are per-case failures.
@Suite("Loss case file shapes")
struct LossCaseShapeTests {
    @Test func negativeAndOverflowingShapesAreCaseFailures() throws {
        let json = #"{"cases": ["#
            + #"{"id": "neg", "loss": "mse", "input": {"shape": [-1, -2], "data": [1, 2]}, "target": {"shape": [2], "data": [1, 2]}},"#
            + #"{"id": "big", "loss": "mse", "input": {"shape": [4611686018427387904, 4], "data": []}, "target": {"shape": [1], "data": [1]}}"#
            + "]}"
        let cases = try LossCase.decodeFile(Data(json.utf8))
        #expect(cases.map(\.id) == ["neg", "big"])
        #expect(cases.map(\.formatError) == ["input: shape [-1, -2] has a negative dimension",
                                             "input: shape [4611686018427387904, 4] has too many elements"])
        for c in cases {
            guard case .error(let message) = c.evaluate(with: .standard) else {
                Issue.record("case \(c.id) evaluated to a value"); continue
            }
            #expect(message == c.formatError)
        }
    }
}
