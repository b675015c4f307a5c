import ArgumentParser

/// The `trainboard` command: train, evaluate and inspect models from the terminal.
@main
struct Trainboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainboard",
        abstract: "Train models from config files and watch them learn in the terminal.",
        subcommands: [
            Fit.self,
            LossesCommand.self,
            DataCommand.self,
            Bench.self,
            Watch.self,
            Demo.self,
        ])
}
