import Testing
@testable import Config
import NN

@Suite("Sweep grids")
struct SweepConfigTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func gridEntriesParseTheirValuesAsYAML() throws {
        let lr = try SweepAxis(parsing: "optimizer.lr=0.01,0.001")
        #expect(lr.key == "optimizer.lr")
        #expect(lr.values == [.double(0.01), .double(0.001)])
        let hidden = try SweepAxis(parsing: "model.hidden=[16],[32,16]")
        #expect(hidden.values == [.list([.int(16)]), .list([.int(32), .int(16)])])
        let names = try SweepAxis(parsing: "loss.name=bce, bce_with_logits")
        #expect(names.values == [.string("bce"), .string("bce_with_logits")])
        #expect(names.override(names.values[1]) == "loss.name=bce_with_logits")
    }

    @Test func badGridEntriesAreOneLineErrors() {
        #expect(message { _ = try SweepAxis(parsing: "optimizer.lr") }.contains("KEY=V1,V2"))
        #expect(message { _ = try SweepAxis(parsing: "=1,2") }.contains("KEY=V1,V2"))
        #expect(message { _ = try SweepAxis(parsing: "optimizer..lr=1,2") }.contains("a config key path"))
        #expect(message { _ = try SweepAxis(parsing: "sweep.parallel=1,2") }.contains("a config key path"))
        #expect(message { _ = try SweepAxis(parsing: "optimizer.lr=") }.contains("at least one value"))
        #expect(message { _ = try SweepAxis(parsing: "optimizer.lr=0.1,0.1") }.contains("each value once"))
        #expect(message { _ = try SweepAxis(parsing: "optimizer.lr=[0.1") }.contains("in YAML"))
        for text in ["optimizer.lr", "optimizer.lr=0.1,0.1"] {
            let line = message { _ = try SweepAxis(parsing: text) }
            #expect(line.hasPrefix("--grid:") && !line.contains("\n"), "\(line)")
        }
    }

    @Test func combinationsVaryTheFirstAxisSlowest() throws {
        let grid = SweepConfig(grid: [try SweepAxis(parsing: "a=1,2"), try SweepAxis(parsing: "b=x,y,z")])
        let combos = grid.combinations
        #expect(combos.count == 6)
        #expect(combos.map { $0.map(\.value.inline).joined(separator: " ") } == ["1 x", "1 y", "1 z", "2 x", "2 y", "2 z"])
        #expect(combos.allSatisfy { $0.map(\.key) == ["a", "b"] })
    }

    @Test func commandLineAxesReplaceTheFilesAndMayNotRepeat() throws {
        let file = SweepConfig(grid: [try SweepAxis(parsing: "a=1,2"), try SweepAxis(parsing: "b=x,y")])
        let merged = try file.merged(with: [try SweepAxis(parsing: "b=z"), try SweepAxis(parsing: "c=true,false")])
        #expect(merged.grid.map(\.key) == ["a", "b", "c"])
        #expect(merged.grid[1].values == [.string("z")])
        #expect(message { _ = try file.merged(with: [try SweepAxis(parsing: "c=1"), try SweepAxis(parsing: "c=2")]) }
            .contains("each key once"))
    }

    @Test func theSweepSectionIsReadAndCheckedLikeTheRest() throws {
        let yaml = """
            name: lab
            model: {output_activation: log_sigmoid}
            sweep:
              grid:
                model.output_activation: [none, sigmoid, log_sigmoid]
                loss.name: [bce, bce_with_logits]
                seed: 3
              parallel: 2
            """
        let config = try RunConfig(try ConfigValue.parse(yaml: yaml, file: "lab.yaml"), file: "lab.yaml")
        let sweep = try #require(config.sweep)
        #expect(sweep.parallel == 2)
        #expect(sweep.grid.map(\.key) == ["model.output_activation", "loss.name", "seed"])
        #expect(sweep.grid[2].values == [.int(3)])   // a scalar is a one-value axis
        #expect(sweep.combinations.count == 6)
        #expect(config.model.spec == .mlp(hidden: [256, 128], activation: .relu, output: .activation(.logSigmoid), dropout: 0))
        #expect(try RunConfig(try ConfigValue.parse(yaml: "name: x", file: "x.yaml"), file: "x.yaml").sweep == nil)

        func error(_ section: String) -> String {
            message { _ = try RunConfig(try ConfigValue.parse(yaml: "sweep:\n" + section, file: "s.yaml"), file: "s.yaml") }
        }
        #expect(error("  gird: {a: [1]}").contains("unknown key 'sweep.gird'; did you mean 'grid'?"))
        #expect(error("  parallel: 2").contains("missing 'sweep.grid'"))
        #expect(error("  grid: [1, 2]").contains("'sweep.grid' cannot be"))
        #expect(error("  grid: {a: [1]}\n  parallel: 0").contains("'sweep.parallel'"))
        #expect(error("  grid:\n    a..b: [1, 2]").contains("s.yaml:3:"))
    }
}
