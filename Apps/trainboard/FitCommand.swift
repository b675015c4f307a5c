import ArgumentParser
import Config
import Dashboard
import Distributed
import Foundation
import Run
import RunEvents
import TensorCore
import Training

/// `trainboard fit`: trains the run a config file describes. On a terminal it
/// opens the live dashboard; with `--headless` or without a terminal it
/// prints one line per epoch. The run itself is `TrainingRun.execute`.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from a config file, live in the dashboard or headless.",
        discussion: "Writes RUN_DIR/metrics.csv, events.jsonl, checkpoints/{last,best}.safetensors and summary.json, where RUN_DIR is LOG_DIR/version_N, N one more than the highest version there (printed at start): a run never replaces another's record unless --overwrite. Resuming from a run's checkpoints/last.safetensors continues that run's directory. Keys in the dashboard: q stop (saves), p pause, s save now, l log scale, z/Z zoom to the last steps, e/E smooth the loss, Tab panels, ? help.")

    @Option(help: "The run's YAML file.") var config: String
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, e.g. trainer.max_epochs=3.", valueName: "key=value"))
    var overrides: [String] = []
    @Flag(help: "Print plain lines instead of the dashboard.") var headless = false
    @Option(help: "Where the run's files go (overrides log_dir).") var logDir: String?
    @Flag(help: "Close the dashboard when training ends instead of waiting for a key.") var exitWhenDone = false
    @Flag(help: "Reuse the newest LOG_DIR/version_N instead of starting a new one, deleting its record first.")
    var overwrite = false

    func run() throws {
        // Under `mpirun -np N` this process is one rank of a data-parallel job; else a job of one.
        let environment = ProcessInfo.processInfo.environment
        let world = try World.current(environment: environment)
        guard world.size > 1 else { return try train(in: world) }
        // Ranks sharing a host share its cores, unless OPENBLAS_NUM_THREADS says otherwise.
        let threads = World.threadsPerRank(environment: environment, cores: BLAS.availableThreads)
        if let threads { BLAS.limitThreads(to: threads) }
        if world.isRoot {
            let each = threads ?? BLAS.availableThreads
            print("[info] \(world.size) ranks, \(each) thread\(each == 1 ? "" : "s") each"
                  + (threads == nil ? "" : " (the host's cores shared; -x OPENBLAS_NUM_THREADS=T to choose)"))
        }
        defer { (world as? MPIWorld)?.finalize() }
        do { try train(in: world) } catch {
            // One rank cannot go on alone: say why, then end every rank of the job.
            let message = (error as? ExitCode).map { _ in "the run failed" } ?? "\(error)"
            FileHandle.standardError.write(Data("Error (rank \(world.rank) of \(world.size)): \(message)\n".utf8))
            world.abort(code: 1)
        }
    }

    /// Builds and trains the run as rank `world.rank`: rank 0 claims the run directory and
    /// shows the run; the other ranks train in step, silent.
    private func train(in world: any Communicator) throws {
        var settings = overrides
        if let logDir { settings.append("log_dir=\(logDir)") }
        let config = try RunConfig.load(path: config, overrides: settings)
        let control = TrainingControl()
        let run = try TrainingRun(config: config, control: control, world: world)
        guard world.isRoot else {
            let outcome = try HeadlessFit(trainingRun: run, control: control, printsEvents: false).run()
            if outcome.reason == .nan || outcome.reason == .error { throw ExitCode.failure }
            return
        }
        let directory = try run.claimDirectory(overwrite: overwrite)
        print(Self.describe(directory))
        if let note = directory.note { print("[info] \(note)") }
        fflush(nil)
        // Under mpirun rank 0's stdout is a terminal of mpirun's making and its stdin a pipe
        // from mpirun, which passes keys on as the terminal hands them over (see docs/distributed.md).
        let live = !headless && isatty(STDOUT_FILENO) == 1 && (isatty(STDIN_FILENO) == 1 || world.size > 1)
        let outcome = live ? try LiveFit(trainingRun: run, control: control, exitWhenDone: exitWhenDone).run()
                           : try HeadlessFit(trainingRun: run, control: control).run()
        if outcome.reason == .nan || outcome.reason == .error { throw ExitCode.failure }
    }

    /// The line printed before training: where the run's files go and why there.
    static func describe(_ directory: RunDirectory) -> String {
        switch directory.placement {
        case .new: "run directory \(directory.path)"
        case .resumed: "run directory \(directory.path) (resumed: appending to its files)"
        case .overwritten: "run directory \(directory.path) (--overwrite: its previous record was deleted)"
        }
    }
}

/// Training on the main thread with plain lines; SIGINT and SIGTERM ask for a graceful stop.
struct HeadlessFit {
    let trainingRun: TrainingRun
    let control: TrainingControl
    /// False for the ranks of a job other than 0, which train without a word.
    var printsEvents = true

    func run() throws -> RunOutcome {
        let printer = PlainPrinter()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let control = self.control
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { control.requestStop() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() }; signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL) }
        guard printsEvents else { return try trainingRun.execute() }
        return try trainingRun.execute(sink: printer.print)
    }
}

/// Folds events into a dashboard model and prints the plain lines each one makes.
final class PlainPrinter: Sendable {
    private let store = DashboardStore()

    @Sendable func print(_ event: RunEvent) {
        let model = store.update { model in model.apply(event); return model }
        for line in PlainReport.lines(for: event, model: model) { Swift.print(line) }
        fflush(nil)
    }
}
