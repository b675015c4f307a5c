import Testing
@testable import Losses

/// Option ranges read as a person writes them (issue 19: `huber.delta` printed
/// `[5e-324, inf]` in `losses list`).
@Suite("Option range text")
struct OptionRangeTests {
    private func expected(_ kind: LossOptionSchema.Kind) -> String {
        LossOptionSchema("x", kind, default: nil, doc: "").expected
    }

    @Test func rangesReadAsWritten() {
        #expect(expected(.number(Double.leastNonzeroMagnitude...Double.infinity)) == "a number > 0")
        #expect(expected(.number(0...Double.infinity)) == "a number ≥ 0")
        #expect(expected(.number(0...1)) == "a number in [0, 1]")
        #expect(expected(.number(-Double.infinity...0)) == "a number ≤ 0")
        #expect(expected(.number(-Double.infinity...(-Double.leastNonzeroMagnitude))) == "a number < 0")
        #expect(expected(.number(0.5...2.25)) == "a number in [0.5, 2.25]")
        #expect(expected(.number(-Double.infinity...Double.infinity)) == "a number")
        #expect(expected(.number()) == "a number")
        #expect(expected(.integer([1, 2])) == "one of 1, 2")
    }

    @Test func noBuiltInOptionPrintsAMachineBound() {
        let registry = LossRegistry.standard
        for name in registry.names {
            for option in registry.spec(named: name)?.options ?? [] {
                #expect(!option.expected.contains("e-324") && !option.expected.contains("inf"), "\(name).\(option.name): \(option.expected)")
            }
        }
        let delta = registry.spec(named: "huber")?.options.first { $0.name == "delta" }
        #expect(delta?.expected == "a number > 0")
    }
}
