import ArgumentParser
import Foundation
import Losses
import Training

/// `trainboard losses …`: the loss registry from the command line.
struct LossesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "losses", abstract: "List the losses and evaluate loss cases.",
        subcommands: [LossesList.self, LossesEval.self])
}

/// `trainboard losses list`: every loss with its options and defaults.
struct LossesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print each loss with its options and defaults.")

    @Option(help: "Also load losses from this plugin library (repeatable).") var plugin: [String] = []

    func run() throws {
        let registry = try LossPluginLoading.registry(plugins: plugin)
        for name in registry.names {
            guard let spec = registry.spec(named: name) else { continue }
            print("\(name): \(spec.summary)")
            for option in spec.options {
                let value = option.defaultValue.map(\.description) ?? "none"
                print("    \(option.name) = \(value)  (\(option.expected)) \(option.doc)")
            }
        }
    }
}

/// `trainboard losses eval CASES.json`: evaluates cases in the golden format and
/// prints `{"results": [...]}` (value and gradient of the sum, or the error).
struct LossesEval: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate loss cases (golden JSON format).")

    @Argument(help: "A JSON file of cases: {\"cases\": [{id, loss, options, input, target}]}.") var cases: String
    @Option(help: "Also load losses from this plugin library (repeatable).") var plugin: [String] = []

    func run() throws {
        let registry = try LossPluginLoading.registry(plugins: plugin)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: cases)) } catch {
            throw CaseFormatError("cannot read \(cases): \(error.localizedDescription)")
        }
        let entries = try LossCase.decodeFile(data).map { $0.evaluate(with: registry).json(id: $0.id) }
        print("{\"results\": [\n" + entries.joined(separator: ",\n") + "\n]}")
    }
}

/// The registry the commands use: the built-ins plus any plugins named.
enum LossPluginLoading {
    static func registry(plugins: [String]) throws -> LossRegistry {
        var registry = LossRegistry.standard
        for path in plugins { try registry.loadPlugin(path: path) }
        return registry
    }
}
