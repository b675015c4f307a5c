import Dashboard
import Foundation
import Run
import Synchronization

/// `trainboard sweep` on a terminal: the comparison view over the sweep directory, live, while
/// the sweep runs on other threads; its header shows the runs done, running and queued. `q`
/// (or SIGINT/SIGTERM) stops the sweep the way its signal handling does: the runs going on save
/// `last`, none start, the command exits 0 and the same command resumes. After the last run the
/// view stays until `q`. The runs table and the sweep's summary line are printed afterwards.
enum SweepLiveView {
    static func run(_ sweep: Sweep, plan: SweepPlan) throws {
        let progress = Mutex(SweepProgress())
        let outcome = Mutex<Result<SweepReport, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let result = Result { try sweep.execute { event in progress.withLock { $0.apply(event) } } }
            outcome.withLock { $0 = result }
            finished.signal()
        }.start()
        let source = ComparisonSource(directories: [plan.directory])
        for run in plan.runs { source.lint[URL(fileURLWithPath: run.directory).standardizedFileURL.path] = run.lint }
        let session = ComparisonSession(model: ComparisonModel(title: "sweep \(plan.directory)"))
        let ending: DashboardSession.Ending
        do {
            ending = try session.run { model in
                let now = progress.withLock { $0 }
                let stopped = outcome.withLock { $0.map { (try? $0.get())?.stopped ?? true } }
                model.status = "\(now.done) done · \(now.running.count) running · \(now.queued) queued"
                    + (stopped.map { " · sweep \($0 ? "stopped" : "done")" } ?? "")
                return try source.poll(&model)
            }
        } catch {
            sweep.stop()
            finished.wait()
            throw error
        }
        // A second Ctrl-C while the runs save must not kill the sweep half-way.
        signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, SIG_DFL) }
        if outcome.withLock({ $0 == nil }) {
            let why = if case .signal(let number) = ending { "signal \(number)" } else { "q" }
            print("stopping (\(why)): the runs going on save last; run the same command again to resume")
            fflush(nil)
            sweep.stop()
        }
        finished.wait()
        let report = try outcome.withLock { $0! }.get()
        var model = session.model
        try? source.readAll(&model)
        RunsTable.plainLines(model).forEach { print($0) }
        print(SweepCommand.endLine(report, plan: plan))
    }
}
