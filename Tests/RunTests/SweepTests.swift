import Foundation
import Synchronization
import Testing
@testable import Run
import Config
import RunEvents

/// Sweeps of `Config/iris.yaml` run in this process (two epochs: well under a second each in a
/// debug build), and of the breast-cancer CSV for a combination that cannot run.
@Suite("Sweeps")
struct SweepTests {
    static let iris = RunFixture.config("iris.yaml")
    static let irisData = "data.path=\(RunFixture.root.path)/Config/data/iris.csv"

    func plan(_ grid: [String], overrides: [String] = [], logDir: String = RunFixture.newLogDir()) throws -> SweepPlan {
        try SweepPlan(config: Self.iris, grid: grid, overrides: [Self.irisData, "trainer.max_epochs=2"] + overrides, logDir: logDir)
    }

    @Test func aGridExpandsIntoNamedRunsWithTheirValuesApplied() throws {
        let plan = try plan(["optimizer.lr=0.01,0.001", "model.hidden=[8],[16,8]"], logDir: "/tmp/sweep-x")
        #expect(plan.keys == ["optimizer.lr", "model.hidden"])
        #expect(plan.runs.map(\.name) == ["optimizer.lr=0.01,model.hidden=8", "optimizer.lr=0.01,model.hidden=16-8",
                                          "optimizer.lr=0.001,model.hidden=8", "optimizer.lr=0.001,model.hidden=16-8"])
        let last = try #require(plan.runs.last)
        #expect(last.config.optimizer.options.learningRate == 0.001)
        #expect(last.config.model.spec == .mlp(hidden: [16, 8], activation: .relu, output: nil, dropout: 0))
        #expect(last.config.logDir == "/tmp/sweep-x/optimizer.lr=0.001,model.hidden=16-8")
        #expect(last.directory == last.config.logDir)
        #expect(last.config.trainer.options.maxEpochs == 2)   // the base overrides reach every run
        #expect(plan.runs.allSatisfy { $0.lint == "ok" })
        // The recorded config is the resolved one, loadable on its own, without the sweep section.
        #expect(!last.configText.contains("sweep:"))
        let reread = try RunConfig(try ConfigValue.parse(yaml: last.configText, file: "c.yaml"), file: "c.yaml")
        #expect(reread.model.spec == last.config.model.spec && reread.logDir == last.config.logDir)
    }

    @Test func namesAreSafeFileNamesAndStayShort() {
        func name(_ key: String, _ value: ConfigValue) -> String { SweepPlan.name([SweepSetting(key: key, value: value)]) }
        #expect(name("data.path", .string("../data/a b.csv")) == "data.path=.._data_a_b.csv")
        #expect(name("model.layers", .list([.map(ConfigMap()), .string("relu")])) == "model.layers=__-relu")
        #expect(name("loss.name", .string("..")) == "loss.name=_..")
        let long = name("data.path", .string(String(repeating: "x", count: 300)))
        let other = name("data.path", .string(String(repeating: "x", count: 299)))
        #expect(long.utf8.count <= SweepPlan.maxNameLength && long != other)
    }

    @Test func theLintVerdictComesFromTheConfig() throws {
        let plan = try plan(["model.output_activation=none,softmax,log_softmax", "loss.name=cross_entropy,nll"])
        let lint = Dictionary(uniqueKeysWithValues: plan.runs.map { ($0.name, $0.lint) })
        #expect(lint["model.output_activation=none,loss.name=cross_entropy"] == "ok")
        #expect(lint["model.output_activation=log_softmax,loss.name=nll"] == "ok")
        #expect(lint["model.output_activation=softmax,loss.name=cross_entropy"] == "Softmax before cross_entropy")
        #expect(lint["model.output_activation=none,loss.name=nll"] == "raw logits into nll")
    }

    @Test func badGridsFailBeforeAnythingRuns() {
        func message(_ grid: [String]) -> String {
            do { _ = try plan(grid); return "no error" } catch { return "\(error)" }
        }
        #expect(message(["optimizer.lrr=0.1,0.01"]).contains("unknown key 'optimizer.lrr'"))
        #expect(message(["optimizer.lr=fast"]).contains("optimizer.lr"))
        #expect(message([]).contains("missing 'sweep.grid'"))
        #expect(message(["data.path=a/b.csv,a_b.csv"]).contains("different directory names"))
    }

    @Test func rowsEqualEachSummaryAndASecondCallSkipsFinishedRuns() throws {
        let plan = try plan(["optimizer.lr=0.01,0.001", "model.hidden=[8],[16,8]"])
        let launcher = CountingLauncher()
        let first = try Sweep(plan: plan, options: SweepOptions(parallel: 2, cores: 2), launcher: launcher).execute()
        #expect(launcher.count == 4 && !first.stopped && first.skipped == 0)
        let table = try SweepTable.read(from: plan.tablePath)
        #expect(table.count == 4)
        for run in plan.runs {
            let row = try #require(table.first { $0["run"] == run.name })
            let summary = try RunSummary.read(from: "\(run.directory)/version_0/summary.json")
            #expect(FileManager.default.fileExists(atPath: run.configFile))
            #expect(row["optimizer.lr"] == run.settings[0].value.inline && row["model.hidden"] == run.settings[1].value.inline)
            #expect(row["test_accuracy"].flatMap(Double.init) == summary.testAccuracy)
            #expect(row["test_loss"].flatMap(Double.init) == summary.testLoss)
            #expect(row["best_val_loss"].flatMap(Double.init) == summary.bestValidationLoss)
            #expect(row["best_val_accuracy"].flatMap(Double.init) == summary.bestValidationAccuracy)
            #expect(row["epochs"].flatMap(Int.init) == summary.epochs && summary.epochs == 2)
            #expect(row["wall_seconds"].flatMap(Double.init) == summary.wallSeconds)
            #expect(row["samples_per_second"].flatMap(Double.init) == summary.trainSamplesPerSecond)
            #expect(row["end_reason"] == summary.endReason.rawValue && row["end_reason"] == "completed")
            #expect(row["directory"] == summary.directory && row["lint"] == "ok" && row["error"] == "")
            #expect(summary.bestValidationLoss != nil && summary.bestValidationAccuracy != nil)
        }
        let second = try Sweep(plan: plan, options: SweepOptions(parallel: 2, cores: 2), launcher: launcher).execute()
        #expect(launcher.count == 4 && second.skipped == 4 && second.rows == first.rows)
        #expect(try SweepTable.read(from: plan.tablePath) == table.sorted { a, b in
            plan.runs.firstIndex { $0.name == a["run"] }! < plan.runs.firstIndex { $0.name == b["run"] }! })
    }

    @Test func aRunThatFailsIsARowWithItsErrorAndTheSweepGoesOn() throws {
        let cancer = "\(RunFixture.root.path)/Config/data/breast_cancer.csv"
        let yaml = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString).yaml").path
        try "data: {source: csv, path: \(cancer), label: benign, task: binary}\nmodel: {hidden: [8]}\ntrainer: {max_epochs: 1}\n"
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let plan = try SweepPlan(config: yaml, grid: ["loss.name=bce,bce_with_logits"], logDir: RunFixture.newLogDir())
        let events = Mutex<[SweepEvent]>([])
        let report = try Sweep(plan: plan, launcher: InProcessLauncher()).execute { event in events.withLock { $0.append(event) } }
        #expect(report.rows.count == 2)
        let failed = report.rows[0], trained = report.rows[1]
        #expect(failed.endReason == .error && failed.lint == "raw logits into bce")
        #expect(failed.error?.contains("bce: all elements of input should be between 0 and 1") == true, "\(failed.error ?? "")")
        #expect(failed.testAccuracy == nil && failed.directory?.hasSuffix("version_0") == true)
        #expect(trained.endReason == .completed && trained.error == nil && trained.testAccuracy != nil)
        let csv = try SweepTable.read(from: plan.tablePath)
        #expect(csv.first { $0["run"] == failed.run }?["error"] == failed.error)
        // The events fold into the progress a dashboard shows.
        var progress = SweepProgress()
        events.withLock { $0.forEach { progress.apply($0) } }
        #expect(progress.runs.count == 2 && progress.done == 2 && progress.running.isEmpty && progress.queued == 0)
        // A failed run is not finished: the next call tries it again (and skips the other).
        let launcher = CountingLauncher()
        let again = try Sweep(plan: plan, launcher: launcher).execute()
        #expect(launcher.count == 1 && again.skipped == 1)
    }

    @Test func aStoppedSweepStartsNoMoreRunsAndItsRunsResume() throws {
        let plan = try plan(["optimizer.lr=0.01,0.001"], overrides: ["trainer.max_epochs=3"])
        let launcher = StoppingLauncher()
        let sweep = Sweep(plan: plan, launcher: launcher)
        launcher.sweep.withLock { $0 = sweep }
        let report = try sweep.execute()
        #expect(report.stopped && report.rows.count == 1 && report.rows[0].endReason == .stopped)
        guard case .resumable(let checkpoint) = SweepPlan.state(of: plan.runs[0]) else {
            Issue.record("a stopped run resumes")
            return
        }
        #expect(checkpoint.hasSuffix("version_0/checkpoints/last.safetensors"))
        #expect(SweepPlan.state(of: plan.runs[1]) == .pending)
        let resumed = try Sweep(plan: plan, launcher: InProcessLauncher()).execute()
        #expect(resumed.rows.map(\.endReason) == [.completed, .completed] && resumed.rows[0].epochs == 3)
        #expect(resumed.rows[0].directory?.hasSuffix("version_0") == true)   // continued in place
    }

    @Test func csvCellsWithCommasAndQuotesReadBack() {
        let cells = ["a,b", "say \"hi\"", "", "plain", "line\nbreak"]
        #expect(SweepTable.parse(SweepTable.line(cells) + SweepTable.line(["x"])) == [cells, ["x"]])
    }
}

/// Runs in process and counts the runs started.
final class CountingLauncher: SweepLauncher {
    private let inner = InProcessLauncher()
    private let started = Atomic<Int>(0)
    var count: Int { started.load(ordering: .relaxed) }

    func run(_ job: SweepJob) -> String? {
        started.add(1, ordering: .relaxed)
        return inner.run(job)
    }

    func stopAll() { inner.stopAll() }
}

/// Stops the sweep as soon as its first run has started (that run saves `last` at once).
final class StoppingLauncher: SweepLauncher {
    private let inner = InProcessLauncher()
    let sweep = Mutex<Sweep?>(nil)

    func run(_ job: SweepJob) -> String? {
        sweep.withLock { $0?.stop() }
        return inner.run(job)
    }

    func stopAll() { inner.stopAll() }
}
