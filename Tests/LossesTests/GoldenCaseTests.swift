import Foundation
import Testing
@testable import Losses

/// Every PyTorch-computed case of the shared golden file (copied into Fixtures)
/// must match in value, input gradient or error, with check.py's tolerance.
@Suite struct GoldenCaseTests {
    static func cases() throws -> [LossCase] {
        let url = try #require(Bundle.module.url(forResource: "losses", withExtension: "json", subdirectory: "Fixtures"))
        let (cases, failures) = try LossCase.decodeFile(Data(contentsOf: url))
        #expect(failures.isEmpty, "malformed cases: \(failures.map(\.id))")
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
        let (cases, failures) = try LossCase.decodeFile(Data(json.utf8))
        #expect(cases.isEmpty)
        #expect(failures.map(\.id) == ["neg", "big"])
        #expect(failures.map(\.message) == ["input: shape [-1, -2] has a negative dimension",
                                            "input: shape [4611686018427387904, 4] has too many elements"])
    }
}
