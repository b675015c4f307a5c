import ArgumentParser
import Config
import Foundation
import Run

/// `trainboard sweep`: every combination of a grid, each an ordinary run in its own directory,
/// their figures gathered in `DIR/sweep.csv`. Each run is a child `trainboard fit --headless`
/// process with its share of the cores; the sweep prints one line per run started and ended.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run every combination of a grid of config values and tabulate the results.",
        discussion: """
            The grid comes from --grid KEY=V1,V2,... entries (KEY a config key path as --set takes, values in YAML: \
            --grid model.hidden=[16],[32,16]) and from the config's sweep: section (--grid wins for the same key). \
            Each combination runs as `trainboard fit --config DIR/NAME/config.yaml --headless` (its resolved config, \
            output in DIR/NAME/output.log, run directory DIR/NAME/version_N), NAME made of the values it sets. \
            DIR/sweep.csv gets one row per run as it ends. Running the same sweep again skips finished runs and \
            continues stopped ones from their last checkpoint. Ctrl-C (SIGINT) or SIGTERM stops the runs going on \
            (they save last) and starts no more; the sweep then exits 0. A run that fails is a row with its error: \
            the sweep still exits 0; bad arguments or config exit 1 before anything runs.
            """)

    @Option(help: "The base config (YAML); its sweep: section, if any, gives grid axes.") var config: String
    @Option(name: .customLong("grid"), help: ArgumentHelp("A grid axis, e.g. optimizer.lr=0.01,0.001 (repeatable).",
                                                          valueName: "key=v1,v2,..."))
    var grid: [String] = []
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a base config key for every run.", valueName: "key=value"))
    var overrides: [String] = []
    @Option(help: "Runs at once, the cores split between them (default: the sweep: section's parallel, else 1).")
    var parallel: Int?
    @Flag(help: "Print plain lines instead of the live comparison view (the default without a terminal).") var headless = false
    @Option(help: "The sweep directory: sweep.csv and one directory per run (default: the config's log_dir).")
    var logDir: String?

    func validate() throws {
        if let parallel, !(1...SweepConfig.maxParallel).contains(parallel) {
            throw ValidationError("--parallel must be in 1...\(SweepConfig.maxParallel), not \(parallel)")
        }
    }

    func run() throws {
        let plan = try SweepPlan(config: config, grid: grid, overrides: overrides, logDir: logDir)
        let options = SweepOptions(parallel: parallel ?? plan.grid.parallel ?? 1)
        let sweep = Sweep(plan: plan, options: options, launcher: ChildProcessLauncher(executable: Self.executable))
        if !headless && isatty(STDOUT_FILENO) != 0 && isatty(STDIN_FILENO) != 0 {
            return try SweepLiveView.run(sweep, plan: plan)
        }
        print("sweep \(plan.directory): \(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s"), \(options.parallel) at a time, "
              + "\(options.threadsPerRun) core\(options.threadsPerRun == 1 ? "" : "s") each")
        fflush(nil)
        // The children get SIGINT from the terminal themselves; SIGTERM is passed on by stop().
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                print("stopping: the runs going on save last; run the same command again to resume")
                fflush(nil)
                sweep.stop()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() }; signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL) }
        let total = plan.runs.count
        let report = try sweep.execute { event in
            for line in Self.lines(for: event, total: total) { print(line) }
            fflush(nil)
        }
        print(Self.endLine(report, plan: plan))
    }

    /// The sweep's last line: done or stopped, rows, skipped and failed runs, the table's path.
    static func endLine(_ report: SweepReport, plan: SweepPlan) -> String {
        let failed = report.rows.filter { $0.endReason == .error }.count
        return "sweep \(report.stopped ? "stopped" : "done"): \(report.rows.count)/\(plan.runs.count) runs have a row "
            + "(\(report.skipped) finished before, \(failed) failed); table \(plan.tablePath)"
    }

    /// The plain lines an event makes.
    static func lines(for event: SweepEvent, total: Int) -> [String] {
        switch event {
        case let .planned(_, finished):
            return finished.isEmpty ? [] : ["skipping \(finished.count) finished run\(finished.count == 1 ? "" : "s")"]
        case let .started(run, directory, resumed):
            return ["started  \(run)\(resumed ? " (resuming from last)" : "") in \(directory)"]
        case .finished(let row):
            func figure(_ x: Double?, _ format: String) -> String { x.map { String(format: format, $0) } ?? "-" }
            var line = "finished \(row.run): \(row.endReason.rawValue), test acc \(figure(row.testAccuracy, "%.4f"))"
                + " loss \(figure(row.testLoss, "%.4g")), best val loss \(figure(row.bestValidationLoss, "%.4g")),"
                + " \(row.epochs.map(String.init) ?? "-") epochs, \(figure(row.wallSeconds, "%.1f")) s, lint: \(row.lint)"
            if let error = row.error { line += "; error: \(error)" }
            return [line]
        case .abandoned(let run):
            return ["stopped  \(run) before it recorded anything; it runs again on resume"]
        }
    }

    /// This program's path, for the child runs.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
