import ArgumentParser
import Dashboard
import Foundation
import RunEvents

/// `trainboard bench dashboard DIR…`: what opening a run costs at its length: the fold rate
/// (events read, parsed and folded per wall second, and per CPU second of the folding thread,
/// which a busy shared machine disturbs less), the time and peak RSS of `watch --snapshot` (the
/// first complete frame, in a child process), and the frame render time, side by side.
struct BenchDashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Fold rate, time to a complete frame, peak RSS and render time of watch per run.",
        discussion: "Write runs with e.g. scripts/fake-run.py DIR --delay 0 --epochs 100 --steps 10000 (1M steps); see docs/dashboard-scale.md.")

    @Argument(help: "Run directories holding events.jsonl.") var dirs: [String]
    @Option(help: "Terminal size of the rendered frames.") var size = "200x60"
    @Option(help: "Frames rendered per run, in 20 rounds over the runs (the best batch's mean CPU time is reported).") var renders = 400
    @Option(help: "Folds of each file (the best is reported).") var folds = 3

    func run() throws {
        let terminal = try TerminalSize.parse(size, option: "--size")
        print("run            events      MB   fold (events/s)   per CPU s   watch frame (s)   watch peak RSS (MB)   render \(size) (ms)   series blocks")
        var rows: [(name: String, model: DashboardModel, figures: String)] = []
        for dir in dirs {
            let url = URL(fileURLWithPath: dir).appendingPathComponent("events.jsonl")
            guard FileManager.default.fileExists(atPath: url.path) else { throw ValidationError("no events.jsonl in \(dir)") }
            var model = DashboardModel(), events = 0, best = Double.infinity, bestCPU = Double.infinity
            for _ in 0..<max(1, folds) {
                (model, events) = (DashboardModel(), 0)
                let cpuStart = Self.threadCPUSeconds()
                let seconds = try Self.seconds {
                    let follower = EventFileFollower(url: url)
                    while try follower.poll({ line in
                        if line != .blank { events += 1 }
                        model.apply(line)
                    }) {}
                }
                best = min(best, seconds)
                bestCPU = min(bestCPU, Self.threadCPUSeconds() - cpuStart)
            }
            let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) / 1e6
            let watch = try Self.watchSnapshot(dir, size: size)
            rows.append((URL(fileURLWithPath: dir).lastPathComponent, model,
                         String(format: "%9d %7.1f %17.0f %11.0f %17.2f %21.1f", events, megabytes, Double(events) / best,
                                Double(events) / bestCPU, watch.seconds, watch.peakMegabytes)))
        }
        let render = Self.renderMilliseconds(rows.map(\.model), size: terminal, frames: renders)
        for (row, milliseconds) in zip(rows, render) {
            print(row.name.padding(toLength: 12, withPad: " ", startingAt: 0) + row.figures
                  + String(format: " %20.3f %15d", milliseconds, row.model.rawLoss.storedBlocks + row.model.averageLoss.storedBlocks))
        }
        if let first = render.first, render.count > 1 {
            print("render time against the first run: " + render.map { String(format: "%.3f", $0 / first) }.joined(separator: "  "))
        }
    }

    /// Milliseconds of CPU per rendered frame of each model; see ``bestBatchSeconds(_:frames:size:)``.
    static func renderMilliseconds(_ models: [DashboardModel], size: TerminalSize, frames: Int) -> [Double] {
        bestBatchSeconds(models.map { model in { render(model, size: size) } }, frames: frames, size: size).map { $0 * 1000 }
    }

    /// Seconds of CPU per call of each of `renderers`: `frames` calls each, in 20 rounds that
    /// take a batch of every renderer in turn (so a busy spell of the shared machine falls on
    /// all of them alike), each renderer's best batch mean in the thread's CPU time.
    static func bestBatchSeconds(_ renderers: [() -> Frame], frames: Int, size: TerminalSize) -> [Double] {
        var best = [Double](repeating: .infinity, count: renderers.count)
        let perBatch = max(1, frames / 20)
        for _ in 0..<20 {
            for (index, renderer) in renderers.enumerated() {
                var frame: Frame?
                let start = threadCPUSeconds()
                for _ in 0..<perBatch { frame = renderer() }
                best[index] = min(best[index], (threadCPUSeconds() - start) / Double(perBatch))
                precondition(frame?.size == size)
            }
        }
        return best
    }

    /// Wall seconds of `body`.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// CPU seconds of the calling thread: what a fold costs, whatever else the machine runs.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Runs this binary's `watch DIR --snapshot SIZE` (output discarded): wall seconds to its
    /// complete frame and its peak RSS.
    static func watchSnapshot(_ dir: String, size: String) throws -> (seconds: Double, peakMegabytes: Double) {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let arguments = [executable, "watch", dir, "--snapshot", size]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard spawned == 0 else { throw ValidationError("cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard status == 0 else { throw ValidationError("watch \(dir) --snapshot failed (status \(status))") }
        return (seconds, Double(usage.ru_maxrss) / 1024)   // ru_maxrss is in KB on Linux
    }
}
