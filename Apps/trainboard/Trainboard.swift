import ArgumentParser
import Foundation

/// The `trainboard` command: train, evaluate and inspect models from the terminal.
@main
struct Trainboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainboard",
        abstract: "Train models from config files and watch them learn in the terminal.",
        subcommands: [
            Fit.self,
            Eval.self,
            LossesCommand.self,
            DataCommand.self,
            Bench.self,
            PrintConfig.self,
            Watch.self,
            CompareCommand.self,
            SweepCommand.self,
            Demo.self,
            PlotCommand.self,
        ])

    /// Runs the command. Usage errors exit 2 (ArgumentParser's default is 64);
    /// any other error prints one `Error: …` line and exits 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
