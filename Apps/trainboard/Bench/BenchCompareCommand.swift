import ArgumentParser
import Dashboard
import Foundation

/// `trainboard bench compare DIR…`: the comparison view's redraw time for the runs under the
/// directories (as `compare` finds them), per metric, at a terminal size.
struct BenchCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Render time of the comparison view (ms per frame) for the runs under DIR…, per metric.")

    @Argument(help: "Run, log or sweep directories, as for `trainboard compare`.") var dirs: [String] = []
    @Option(help: "Terminal size of the rendered frames.") var size = "200x60"
    @Option(help: "Frames rendered per metric, in 20 rounds over the metrics (the best batch's mean CPU time is reported).") var renders = 400

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("bench compare needs run, log or sweep directories") }
    }

    func run() throws {
        let terminal = try TerminalSize.parse(size, option: "--size")
        let source = ComparisonSource(directories: dirs)
        if let missing = source.missingDirectory { throw ValidationError(missing) }
        var model = ComparisonModel(title: "bench")
        let foldSeconds = try BenchDashboard.seconds { try source.readAll(&model) }
        print("\(model.runs.count) runs, \(model.runs.map(\.model.progress.step).reduce(0, +)) steps, read and folded in "
              + String(format: "%.3f s", foldSeconds) + "; render \(size), best batch mean of \(renders) frames (CPU time):")
        let renderers = ComparisonMetric.allCases.map { metric -> () -> Frame in
            var shown = model
            shown.metric = metric
            return { render(shown, size: terminal) }
        }
        let seconds = BenchDashboard.bestBatchSeconds(renderers, frames: renders, size: terminal)
        for (metric, best) in zip(ComparisonMetric.allCases, seconds) {
            print("  " + metric.title.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%7.3f ms/frame", best * 1000))
        }
    }
}
