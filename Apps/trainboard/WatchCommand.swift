import ArgumentParser
import Dashboard
import Foundation
import RunEvents

/// `trainboard watch DIR`: follows `DIR/events.jsonl` as a run writes it and shows the live
/// dashboard (or, without a terminal, plain lines per epoch). Works on finished runs too.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a run's events.jsonl in the live dashboard.",
        discussion: "Keys: q quit, l log scale, z/Z zoom to the last steps, e/E smooth the loss, Tab enlarge a panel, ? help. Without a terminal on stdout, or with --headless, prints one line per epoch and stops at the run's end.")

    @Argument(help: "The run directory holding events.jsonl (several: the comparison view of `trainboard compare`).")
    var dirs: [String] = []
    private var dir: String { dirs[0] }
    @Flag(help: "Quit the dashboard once the run has ended.") var exitWhenDone = false
    @Flag(help: "Print plain lines per epoch instead of the dashboard.") var headless = false
    @Option(help: ArgumentHelp("Print the dashboard for the file's current contents as plain text at this size (e.g. 120x40) and exit.",
                               valueName: "COLUMNSxROWS"))
    var snapshot: String?

    /// How often the file is polled and the dashboard redrawn.
    static let pollMilliseconds = 100

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("watch needs a run directory") }
    }

    func run() throws {
        if dirs.count > 1 { return try CompareCommand.compare(dirs, command: "watch", headless: headless, snapshot: snapshot) }
        let url = URL(fileURLWithPath: dir).appendingPathComponent("events.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else {
            var isDirectory: ObjCBool = false
            let reason = FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue
                ? "no events.jsonl in \(dir)" : "no such run directory: \(dir)"
            FileHandle.standardError.write(Data("trainboard watch: \(reason)\n".utf8))
            throw ExitCode(1)
        }
        let follower = EventFileFollower(url: url)
        if let snapshot {
            try printSnapshot(follower, size: snapshot)
        } else if headless || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
            try followPlain(follower)
        } else {
            try followLive(follower)
        }
    }

    /// The curses dashboard; prints the run summary on the normal screen afterwards.
    private func followLive(_ follower: EventFileFollower) throws {
        let store = DashboardStore()
        store.update { $0.ui.readOnly = true }
        let session = DashboardSession(store: store, refreshMilliseconds: Self.pollMilliseconds) { key in
            guard key == .pause || key == .save else { return }
            store.update { $0.post(RunMessage(level: .info, text: "watch is read-only: pause and save need the trainer")) }
        }
        let ending = try session.run(tick: { try Self.catchUp(follower, store: store) },
                                     until: { exitWhenDone && $0.ui.finished })
        PlainReport.summary(store.snapshot()).forEach { print($0) }
        if case .signal = ending { throw ExitCode(130) }
    }

    /// How long one tick folds a file that is far ahead before the dashboard is drawn again.
    static let catchUpSeconds = 0.2

    /// Folds what the file gained, chunk by chunk for at most ``catchUpSeconds``, and marks in
    /// the model how far it got; returns whether the file holds more already (a finished run
    /// being opened), so that the next frame follows at once.
    static func catchUp(_ follower: EventFileFollower, store: DashboardStore) throws -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(catchUpSeconds * 1e9)
        return try store.update { model in
            Result {
                var behind = true
                while behind, DispatchTime.now().uptimeNanoseconds < deadline {
                    behind = try follower.poll { model.apply($0) }
                }
                model.ui.readingFraction = behind ? follower.fractionRead : nil
                return behind
            }
        }.get()
    }

    /// Plain lines per event of interest until the run ends or SIGINT/SIGTERM.
    private func followPlain(_ follower: EventFileFollower) throws {
        let signals = StopSignals()
        defer { signals.cancel() }
        var model = DashboardModel()
        while signals.received == nil {
            let behind = try follower.poll { line in
                model.apply(line)
                let output: [String]
                switch line {
                case .event(let event): output = PlainReport.lines(for: event, model: model)
                case .malformed(let reason): output = ["[warning] \(reason)"]
                case .blank: output = []
                }
                if !output.isEmpty { FileHandle.standardOutput.write(Data(output.map { $0 + "\n" }.joined().utf8)) }
            }
            if model.ui.finished { return }
            if !behind { usleep(useconds_t(Self.pollMilliseconds * 1000)) }
        }
        throw ExitCode(130)
    }

    /// One rendered frame of the file's current contents, as text.
    private func printSnapshot(_ follower: EventFileFollower, size text: String) throws {
        let size = try TerminalSize.parse(text, option: "--snapshot")
        var model = DashboardModel()
        while try follower.poll({ model.apply($0) }) {}
        model.ui.readOnly = true
        print(render(model, size: size).text)
    }
}
