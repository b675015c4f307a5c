import Dashboard
import Foundation
import Run
import RunEvents
import Synchronization
import Training

/// Training on a background thread while the dashboard draws on the main
/// thread from snapshots; keys map to the trainer's control.
struct LiveFit {
    let trainingRun: TrainingRun
    let control: TrainingControl
    let exitWhenDone: Bool

    func run() throws -> RunOutcome {
        let store = DashboardStore()
        if isatty(STDIN_FILENO) == 0 {
            // Rank 0 under mpirun: keys come through mpirun, as its terminal hands them over.
            // Short enough for the messages panel; docs/distributed.md says more (`stty -icanon`).
            store.append(.message(RunMessage(level: .info, text: "mpirun: press Enter after a key")))
        }
        let result = Mutex<Result<RunOutcome, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let handoff = Handoff(trainingRun)
        let thread = Thread {
            let outcome = Result { try handoff.value.execute(sink: store.append) }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        let control = self.control
        let session = DashboardSession(store: store) { key in
            switch key {
            case .pause: control.togglePause()
            case .save: control.requestSave()
            case .quit: control.requestStop()
            default: break
            }
        }
        // A finished run keeps its final screen until a key (view keys aside) or q.
        let ending = try session.run(until: { exitWhenDone && $0.ended != nil }, anyKeyCloses: { $0.ended != nil })
        if ending != .done { control.requestStop() }
        finished.wait()
        // The summary also when training failed (it names how the run ended); then the error.
        for line in PlainReport.summary(store.snapshot()) { print(line) }
        return try result.withLock { $0! }.get()
    }
}

/// Moves a non-Sendable value to the training thread. The sender must not use
/// it afterwards: here the main thread only draws snapshots from the store.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
