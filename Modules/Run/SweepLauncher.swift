import Config
import Foundation
import Synchronization
import TensorCore
import Training
#if canImport(Glibc)
import Glibc
#endif

/// One run of a sweep, ready to start.
public struct SweepJob: Sendable {
    public var run: SweepRun
    /// The checkpoint it continues from (a stopped run's `last`), or nil to start afresh.
    public var resume: String?
    /// The cores it may use (its GEMM threads).
    public var threads: Int
    /// `DIR/NAME/output.log`: what the run prints, appended to on every attempt.
    public var logFile: String { "\(run.directory)/output.log" }

    public init(run: SweepRun, resume: String?, threads: Int) {
        self.run = run
        self.resume = resume
        self.threads = threads
    }
}

/// How a sweep starts its runs. `run` is called on several threads at once (one per parallel
/// slot) and blocks until its run ends; `stopAll` asks the runs going on to stop soon, saving
/// `last` (a stopped run's summary says `stopped`).
public protocol SweepLauncher: Sendable {
    /// Runs `job` (its config is `job.run.configFile`) to its end: nil when the run ended by
    /// itself or stopped, else the one-line error that ended it.
    func run(_ job: SweepJob) -> String?
    func stopAll()
}

/// Runs each job as a child process, `EXECUTABLE fit --config DIR/NAME/config.yaml --headless`,
/// with `OPENBLAS_NUM_THREADS` set to its cores (the thread budget `BLAS` reads at start) and
/// its output in `DIR/NAME/output.log`. Runs are isolated: a crash or an exhausted memory ends
/// one row, not the sweep. ``stopAll()`` sends SIGTERM, which `fit --headless` turns into a
/// graceful stop that saves `last`.
public final class ChildProcessLauncher: SweepLauncher {
    /// The `trainboard` executable.
    public let executable: String
    private let running = Mutex<(pids: Set<pid_t>, stopping: Bool)>(([], false))

    public init(executable: String) {
        self.executable = executable
    }

    public func run(_ job: SweepJob) -> String? {
        let log = open(job.logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { return "\(job.logFile): cannot open for writing (\(String(cString: strerror(errno))))" }
        defer { close(log) }
        let start = lseek(log, 0, SEEK_END)
        var arguments = [executable, "fit", "--config", job.run.configFile, "--headless"]
        if let resume = job.resume { arguments += ["--set", "trainer.resume=\(ConfigValue.string(resume).inline)"] }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = String(job.threads)
        let pid: pid_t
        do { pid = try spawn(arguments, environment: environment, output: log) } catch {
            return "cannot start \(executable): \(error.description)"
        }
        let stopNow = running.withLock { state in state.pids.insert(pid); return state.stopping }
        if stopNow { kill(pid, SIGTERM) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        running.withLock { _ = $0.pids.remove(pid) }
        let signalled = status & 0x7f, code = (status >> 8) & 0xff
        if signalled != 0 { return "the run was killed by signal \(signalled) (see \(job.logFile))" }
        guard code != 0 else { return nil }
        return Self.errorLine(in: job.logFile, from: start) ?? "exit status \(code) (see \(job.logFile))"
    }

    public func stopAll() {
        let pids = running.withLock { state in state.stopping = true; return state.pids }
        for pid in pids { kill(pid, SIGTERM) }
    }

    /// `posix_spawn` with stdout and stderr on `output`, stdin on /dev/null and SIGINT/SIGTERM at
    /// their default action (the sweep ignores them for itself).
    private func spawn(_ arguments: [String], environment: [String: String], output: Int32) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(description: String(cString: strerror(code))) }
        return pid
    }

    private struct SpawnError: Error { var description: String }

    /// The last `Error: ...` line the run printed after byte `offset` of its log, without the prefix.
    static func errorLine(in path: String, from offset: off_t) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(max(0, offset)))
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").last { $0.hasPrefix("Error: ") }.map { String($0.dropFirst("Error: ".count)) }
    }
}

/// Runs each job in this process on the calling thread (``TrainingRun``), its GEMMs on its
/// cores: for library use and tests. Runs share the process, so one that crashes ends all.
public final class InProcessLauncher: SweepLauncher {
    private let controls = Mutex<(running: [TrainingControl], stopping: Bool)>(([], false))

    public init() {}

    public func run(_ job: SweepJob) -> String? {
        let control = TrainingControl()
        let stopNow = controls.withLock { state in state.running.append(control); return state.stopping }
        if stopNow { control.requestStop() }
        defer { controls.withLock { state in state.running.removeAll { $0 === control } } }
        let policy: BLAS.ThreadPolicy = job.threads < BLAS.maxThreads ? .pinned(job.threads) : .automatic
        do {
            let overrides = job.resume.map { ["trainer.resume=\(ConfigValue.string($0).inline)"] } ?? []
            let config = try RunConfig.load(path: job.run.configFile, overrides: overrides)
            _ = try BLAS.withPolicy(policy) { try TrainingRun(config: config, control: control).execute() }
            return nil
        } catch {
            return "\(error)"
        }
    }

    public func stopAll() {
        let running = controls.withLock { state in state.stopping = true; return state.running }
        running.forEach { $0.requestStop() }
    }
}
