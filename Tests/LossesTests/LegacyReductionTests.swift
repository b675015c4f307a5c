import Foundation
import Testing
@testable import Losses

/// PyTorch's deprecated `size_average` and `reduce` options (issue 19), golden-tested against
/// the cases `Fixtures/make_legacy_reduction_cases.py` computed with PyTorch's loss modules:
/// the reduction PyTorch chose, the value and the input gradient.
@Suite("Legacy size_average and reduce")
struct LegacyReductionTests {
    /// The fixture's cases, and its raw JSON objects for the fields LossCase does not read.
    static func cases() throws -> [(LossCase, [String: Any])] {
        let url = try #require(Bundle.module.url(forResource: "legacy_reduction", withExtension: "json", subdirectory: "Fixtures"))
        let data = try Data(contentsOf: url)
        let cases = try LossCase.decodeFile(data)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let raw = try #require(root["cases"] as? [[String: Any]])
        try #require(raw.count == cases.count)
        return Array(zip(cases, raw))
    }

    @Test func everyCaseMatchesPyTorch() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 40)
        for (c, _) in cases {
            #expect(c.formatError == nil, "\(c.id): \(c.formatError ?? "")")
            #expect(c.expected != nil, "\(c.id): no expected result")   // a case without one would pass unchecked
            let why = c.mismatch(c.evaluate(with: .standard))
            #expect(why == nil, "\(c.id) (\(c.loss)): \(why ?? "")")
        }
    }

    @Test func theReductionIsTheOnePyTorchChose() throws {
        for (c, raw) in try Self.cases() {
            guard let chosen = raw["legacy_reduction"] as? String else { continue }
            let loss = try LossRegistry.standard.make(name: c.loss, options: c.options)
            #expect(loss.options.reduction.rawValue == chosen, "\(c.id)")
            #expect(loss.options["size_average"] == nil && loss.options["reduce"] == nil, "\(c.id)")
        }
    }

    @Test func theWarningSaysWhatToWriteAndOnlyWhenALegacyOptionIsGiven() throws {
        for (c, raw) in try Self.cases() where raw["legacy_reduction"] != nil {
            let warning = LegacyReduction.warning(loss: c.loss, options: c.options)
            if raw["pytorch_warning"] is String, let chosen = raw["legacy_reduction"] as? String {
                // PyTorch: "size_average and reduce args will be deprecated, please use reduction='sum' instead."
                #expect(warning?.contains("write reduction: \(chosen) instead") == true, "\(c.id): \(warning ?? "none")")
            } else {
                #expect(warning == nil, "\(c.id): \(warning ?? "")")
            }
        }
        let warning = LegacyReduction.warning(loss: "bce", options: ["size_average": .bool(false), "reduction": .string("mean")])
        #expect(warning == "bce: size_average and reduce are deprecated (PyTorch maps size_average=false to reduction='sum'): "
            + "write reduction: sum instead; the reduction: mean given with them is ignored, as in PyTorch")
    }

    @Test func pyTorchsMapping() {
        let table: [(Bool?, Bool?, LossReduction)] = [
            (nil, nil, .mean), (true, nil, .mean), (false, nil, .sum), (nil, true, .mean), (nil, false, .none),
            (true, true, .mean), (false, true, .sum), (true, false, .none), (false, false, .none),
        ]
        for (sizeAverage, reduce, expected) in table {
            #expect(LegacyReduction.reduction(sizeAverage: sizeAverage, reduce: reduce) == expected, "\(String(describing: sizeAverage)) \(String(describing: reduce))")
        }
    }

    @Test func nonBooleansAndLossesWithoutTheOptionsAreErrors() {
        func message(_ name: String, _ options: [String: LossOption]) -> String? {
            do throws(LossError) { _ = try LossRegistry.standard.make(name: name, options: options); return nil } catch { return error.description }
        }
        #expect(message("mse", ["reduce": .number(0)]) == "mse: bad value 0 for option 'reduce'; expected true or false")
        #expect(message("mse", ["size_average": .string("yes")]) == "mse: bad value 'yes' for option 'size_average'; expected true or false")
        #expect(message("huber", ["size_average": .bool(true)])?.hasPrefix("huber has no option 'size_average'") == true)
        var registry = LossRegistry()
        try? registry.register(name: "mine") { x, _, _ throws(LossError) in x }
        #expect(message("mse", [:]) == nil)
        let plugin: String?
        do throws(LossError) { _ = try registry.make(name: "mine", options: ["reduce": .bool(false)]); plugin = nil } catch { plugin = error.description }
        #expect(plugin?.hasPrefix("mine has no option 'reduce'") == true)
    }
}
