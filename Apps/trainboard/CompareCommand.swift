import ArgumentParser
import Dashboard
import Foundation

/// `trainboard compare DIR…`: several runs side by side — the chosen metric of every run
/// overlaid in one chart and a runs table of the config keys that differ and the headline
/// figures. Without a terminal (or with --headless) prints the table once and exits.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs: their metric overlaid in one chart and a table of what differs.",
        discussion: """
            DIR is a run directory (…/version_N), a log dir holding version_N folders, or a sweep directory \
            (sweep.csv and one folder per run); runs that appear later are picked up. Keys: m (or 1-5) metric: \
            loss, accuracy, val loss, val accuracy, learning rate; / filter runs by name; j/k select; space hide/show; \
            b pin the baseline; s sort by the next column; r reverse; l log scale; z/Z zoom; e/E smooth; q quit. `trainboard watch` with \
            several directories opens the same view.
            """)

    @Argument(help: "Run, log or sweep directories.") var dirs: [String] = []
    @Flag(help: "Print the runs table once as plain text instead of the live view.") var headless = false
    @Option(help: ArgumentHelp("Print the comparison view for the files' current contents as plain text at this size (e.g. 120x40) and exit.",
                               valueName: "COLUMNSxROWS"))
    var snapshot: String?

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("compare needs at least one run, log or sweep directory") }
    }

    func run() throws {
        try Self.compare(dirs, command: "compare", headless: headless, snapshot: snapshot)
    }

    /// The comparison of the runs under `dirs` (shared with `watch DIR1 DIR2…`): live on a
    /// terminal, else the table once; `snapshot` prints one frame of that size.
    static func compare(_ dirs: [String], command: String, headless: Bool, snapshot: String?) throws {
        let source = ComparisonSource(directories: dirs)
        if let missing = source.missingDirectory {
            FileHandle.standardError.write(Data("trainboard \(command): \(missing)\n".utf8))
            throw ExitCode(1)
        }
        var model = ComparisonModel(title: dirs.joined(separator: " "))
        if let snapshot {
            let size = try TerminalSize.parse(snapshot, option: "--snapshot")
            try source.readAll(&model)
            print(render(model, size: size).text)
        } else if headless || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
            try source.readAll(&model)
            guard !model.runs.isEmpty else {
                FileHandle.standardError.write(Data("trainboard \(command): no runs (events.jsonl) under \(dirs.joined(separator: ", "))\n".utf8))
                throw ExitCode(1)
            }
            RunsTable.plainLines(model).forEach { print($0) }
        } else {
            let session = ComparisonSession(model: model)
            let ending = try session.run { try source.poll(&$0) }
            RunsTable.plainLines(session.model).forEach { print($0) }
            if case .signal = ending { throw ExitCode(130) }
        }
    }
}
