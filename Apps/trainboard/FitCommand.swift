import ArgumentParser
import Dashboard
import Foundation
import Training

/// `trainboard fit`: trains the run a config file describes. On a terminal it
/// opens the live dashboard; with `--headless` or without a terminal it
/// prints one line per epoch.
struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model from a config file, live in the dashboard or headless.",
        discussion: "Writes LOG_DIR/metrics.csv, events.jsonl, checkpoints/{last,best}.safetensors and summary.json. Keys in the dashboard: q stop (saves), p pause, s save now, l log scale, Tab panels, ? help.")

    @Option(help: "The run's YAML file.") var config: String
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, e.g. trainer.max_epochs=3.", valueName: "key=value"))
    var overrides: [String] = []
    @Flag(help: "Print plain lines instead of the dashboard.") var headless = false
    @Option(help: "Where the run's files go (overrides log_dir).") var logDir: String?
    @Flag(help: "Close the dashboard when training ends instead of waiting for a key.") var exitWhenDone = false

    func run() throws {
        var settings = overrides
        if let logDir { settings.append("log_dir=\(logDir)") }
        let config = try RunConfig.load(path: config, overrides: settings)
        try FileManager.default.createDirectory(atPath: config.logDir, withIntermediateDirectories: true)
        let control = TrainingControl()
        let run = try TrainingRun(config: config, control: control)
        let bridge = try RunEventBridge(run: run, configPath: self.config, logDir: config.logDir)
        let metrics = try MetricsCSV(path: "\(config.logDir)/metrics.csv", everySteps: config.trainer.logEverySteps)
        run.trainer.observers = [metrics.observe, bridge.observe]
        let live = !headless && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        let outcome: FitOutcome
        if live {
            outcome = try LiveFit(trainingRun: run, bridge: bridge, control: control, exitWhenDone: exitWhenDone).run()
        } else {
            outcome = try HeadlessFit(trainingRun: run, bridge: bridge, control: control).run()
        }
        if outcome.reason == .nan || outcome.reason == .error { throw ExitCode.failure }
    }
}

/// How a fit ended and the summary written for it.
struct FitOutcome {
    var reason: TrainerEvent.EndReason
    var summary: RunSummary
}

extension TrainingRun {
    /// Trains, tests, writes `summary.json` and sends the final event; shared by
    /// the live and headless paths. Returns the outcome.
    func fitAndSummarize(bridge: RunEventBridge) throws -> FitOutcome {
        let clock = ContinuousClock(), started = clock.now
        for warning in lintWarnings { bridge.send(.message(RunMessage(level: .warning, text: warning))) }
        var lastCheckpoint: String?
        trainer.observers.append { event in
            if case .checkpointSaved(let path, _, _) = event { lastCheckpoint = path }
        }
        var reason: TrainerEvent.EndReason
        do { reason = try fit() } catch {
            bridge.send(.message(RunMessage(level: .error, text: "\(error)")))
            bridge.send(.runEnded(RunEnded(reason: .error)))
            throw error
        }
        let test = reason == .nan ? nil : try self.test()
        let seconds = (clock.now - started).seconds
        let summary = RunSummary(
            run: config.name, endReason: reason.rawValue, epochs: trainer.state.epoch, steps: trainer.state.step,
            testAccuracy: test?.accuracy, testLoss: test?.loss, testMetrics: test?.metrics ?? [:],
            bestValidation: trainer.state.best, bestEpoch: trainer.state.bestEpoch,
            trainSamplesPerSecond: trainer.state.samplesPerSecond,
            wallSeconds: seconds, lastCheckpoint: lastCheckpoint)
        try summary.write(to: "\(config.logDir)/summary.json")
        var figures = ["wall_seconds": seconds, "train_samples_per_second": summary.trainSamplesPerSecond]
        if let test { figures["test_accuracy"] = test.accuracy; figures["test_loss"] = test.loss }
        bridge.send(.runEnded(RunEnded(reason: RunEnded.Reason(rawValue: reason.rawValue) ?? .completed, summary: figures)))
        return FitOutcome(reason: reason, summary: summary)
    }
}

/// Training on the main thread with plain lines; SIGINT asks for a graceful stop.
struct HeadlessFit {
    let trainingRun: TrainingRun
    let bridge: RunEventBridge
    let control: TrainingControl

    func run() throws -> FitOutcome {
        var model = DashboardModel()
        bridge.addSink { event in
            model.apply(event)
            for line in PlainReport.lines(for: event, model: model) { print(line) }
            fflush(nil)
        }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let control = self.control
        source.setEventHandler { control.requestStop() }
        source.resume()
        let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        term.setEventHandler { control.requestStop() }
        term.resume()
        defer { source.cancel(); term.cancel(); signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL) }
        return try trainingRun.fitAndSummarize(bridge: bridge)
    }
}
