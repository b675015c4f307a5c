import Foundation
import Synchronization
import TensorCore

/// How a sweep runs: how many runs at once, over how many cores.
public struct SweepOptions: Sendable, Equatable {
    /// Runs at once (1 up).
    public var parallel: Int
    /// The cores split between the runs going on: each gets `max(1, cores / parallel)`.
    public var cores: Int

    public init(parallel: Int = 1, cores: Int = BLAS.maxThreads) {
        self.parallel = max(1, parallel)
        self.cores = max(1, cores)
    }

    /// The cores each run gets.
    public var threadsPerRun: Int { max(1, cores / parallel) }
}

/// A sweep's runs, executed: each combination of a ``SweepPlan`` is run by a ``SweepLauncher``,
/// `parallel` at a time, its row appended to `DIR/sweep.csv` as it ends.
///
/// Resuming is running the same plan again: runs whose newest directory holds a finished
/// summary are skipped (their rows head the table, rebuilt from their `summary.json`), stopped
/// runs continue from their `last` checkpoint, and the others start. A run that fails is a row
/// with its error; the sweep goes on. ``stop()`` (from a signal handler's queue, say) starts no
/// more runs and asks those going on to stop; ``execute(progress:)`` then returns once they have.
/// The sweep directory is locked (`DIR/.lock`) while a sweep runs in it.
///
/// ```swift
/// let plan = try SweepPlan(config: "Config/iris.yaml", grid: ["optimizer.lr=0.01,0.001"], logDir: "runs/iris-lr")
/// let report = try Sweep(plan: plan, options: SweepOptions(parallel: 2), launcher: InProcessLauncher()).execute()
/// print(report.rows.map(\.testAccuracy))
/// ```
public final class Sweep: Sendable {
    public let plan: SweepPlan
    public let options: SweepOptions
    private let launcher: any SweepLauncher
    private let stopping = Atomic<Bool>(false)

    public init(plan: SweepPlan, options: SweepOptions = SweepOptions(), launcher: any SweepLauncher) {
        self.plan = plan
        self.options = options
        self.launcher = launcher
    }

    /// Runs every run not finished yet, sending each ``SweepEvent`` to `progress` (from the
    /// worker threads, one at a time). Returns the rows of the whole sweep in plan order.
    /// - Throws: ``RunError`` or ``SweepError`` when the sweep directory or its table cannot be used.
    public func execute(progress: @escaping @Sendable (SweepEvent) -> Void = { _ in }) throws -> SweepReport {
        do { try FileManager.default.createDirectory(atPath: plan.directory, withIntermediateDirectories: true) } catch {
            throw RunError.file("\(plan.directory): cannot create the sweep directory (\(error.localizedDescription))")
        }
        let lock: DirectoryLock
        do { lock = try DirectoryLock(directory: plan.directory) } catch RunDirectoryError.locked(_, let pid) {
            throw SweepError.locked(plan.directory, pid: pid)
        }
        defer { lock.release() }
        var finished: [Int: SweepRow] = [:], pending: [SweepJob] = []
        for (index, run) in plan.runs.enumerated() {
            switch SweepPlan.state(of: run) {
            case .finished(let summary): finished[index] = SweepRow(run: run, summary: summary, error: nil)
            case .resumable(let checkpoint): pending.append(SweepJob(run: run, resume: checkpoint, threads: options.threadsPerRun))
            case .pending: pending.append(SweepJob(run: run, resume: nil, threads: options.threadsPerRun))
            }
        }
        let skipped = finished.keys.sorted().map { finished[$0]! }
        let table = try SweepTable(path: plan.tablePath, keys: plan.keys, rows: skipped)
        let work = Workload(jobs: pending, progress: progress)
        work.send(.planned(runs: plan.runs.map(\.name), finished: skipped))
        let workers = (0..<min(options.parallel, pending.count)).map { _ in
            Self.thread {
                while !self.stopping.load(ordering: .relaxed), let job = work.next() {
                    guard let row = self.execute(job, send: work.send) else { continue }
                    table.append(row)
                    work.record(row)
                }
            }
        }
        workers.forEach { $0.wait() }
        let rows = work.rows.withLock { $0 }
        return SweepReport(rows: plan.runs.enumerated().compactMap { finished[$0.offset] ?? rows[$0.element.name] },
                           skipped: skipped.count, stopped: stopping.load(ordering: .relaxed))
    }

    /// Starts no more runs and asks those going on to stop (saving `last`). Safe from any thread.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        launcher.stopAll()
    }

    /// Records the run's resolved config, runs it, and makes its row from the summary it wrote
    /// this time (a summary older than the start is an earlier attempt's). Nil when the sweep
    /// was stopped before the run could start or record anything (it stays to do on resume).
    private func execute(_ job: SweepJob, send: @Sendable (SweepEvent) -> Void) -> SweepRow? {
        let run = job.run
        let started = Date()
        do {
            try FileManager.default.createDirectory(atPath: run.directory, withIntermediateDirectories: true)
            let header = "# written by trainboard sweep: \(run.settings.map { "\($0.key)=\($0.value.inline)" }.joined(separator: " "))\n"
            try Data((header + run.configText).utf8).write(to: URL(fileURLWithPath: run.configFile), options: .atomic)
        } catch {
            return SweepRow(run: run, summary: nil, error: "\(run.configFile): cannot write the run's config (\(error.localizedDescription))")
        }
        guard !stopping.load(ordering: .relaxed) else { return nil }
        send(.started(run: run.name, directory: run.directory, resumed: job.resume != nil))
        let error = launcher.run(job)
        let newest = RunDirectory.versions(in: run.directory).max().map { RunDirectory.versionPath(run.directory, $0) }
        let summaryPath = newest.map { "\($0)/summary.json" }
        let written = summaryPath.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.modificationDate] as? Date }
        let summary = written.map { $0 >= started.addingTimeInterval(-1) } == true ? summaryPath.flatMap { try? RunSummary.read(from: $0) } : nil
        if summary == nil && stopping.load(ordering: .relaxed) {
            send(.abandoned(run: run.name))
            return nil
        }
        return SweepRow(run: run, summary: summary, error: error, directory: newest)
    }

    /// A joinable thread with the stack a training run needs.
    private static func thread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { body(); done.signal() }
        thread.stackSize = 16 << 20
        thread.start()
        return done
    }
}

/// The runs left to start, the rows of those that ended, and the progress callback, shared
/// by a sweep's worker threads.
private final class Workload: Sendable {
    private let jobs: Mutex<ArraySlice<SweepJob>>
    let rows = Mutex<[String: SweepRow]>([:])
    private let progress: Mutex<@Sendable (SweepEvent) -> Void>

    init(jobs: [SweepJob], progress: @escaping @Sendable (SweepEvent) -> Void) {
        self.jobs = Mutex(jobs[...])
        self.progress = Mutex(progress)
    }

    /// The next run to start, or nil when none is left.
    func next() -> SweepJob? { jobs.withLock { $0.popFirst() } }

    /// Notes a run's row and reports it.
    func record(_ row: SweepRow) {
        rows.withLock { $0[row.run] = row }
        send(.finished(row))
    }

    /// Hands `event` to the callback, one event at a time.
    @Sendable func send(_ event: SweepEvent) { progress.withLock { $0(event) } }
}

/// What a sweep call did.
public struct SweepReport: Sendable, Equatable {
    /// A row per run that has one (finished before, or ended now), in plan order.
    public var rows: [SweepRow]
    /// Runs skipped because they had finished before.
    public var skipped: Int
    /// Whether ``Sweep/stop()`` cut the sweep short.
    public var stopped: Bool
}

/// A sweep directory that cannot be used.
public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Another sweep runs in the directory.
    case locked(String, pid: Int32?)

    public var description: String {
        switch self {
        case let .locked(directory, pid):
            "\(directory) is in use by another sweep (\(pid.map { "pid \($0)" } ?? "pid unknown")): wait for it to end or "
                + "stop it, or pass another --log-dir"
        }
    }
}
