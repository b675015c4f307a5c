import ArgumentParser
import Dashboard
import Foundation
import Plot
import RunEvents

/// `trainboard plot DIR… --out FILE`: the chosen metric of one run, or of several overlaid, drawn
/// as a PNG, SVG or PDF with axes, ticks, a legend and a title (the `Plot` module, through cairo).
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw runs' curves as a PNG, SVG or PDF image.",
        discussion: "Each DIR is a run directory (with events.jsonl); several are overlaid, one line per run. "
            + "Metrics: loss, val_loss, accuracy, val_accuracy (per epoch), lr and batch_loss (per step); "
            + "--metric may be repeated (epoch metrics then sit at each epoch's last step). "
            + "The format follows the --out extension.")

    @Argument(help: "Run directories holding events.jsonl.") var dirs: [String]
    @Option(name: .customLong("metric"), help: "The metric to draw (default: loss); repeat for several.")
    var metrics: [PlotMetric] = []
    @Option(help: ArgumentHelp("The image to write: a .png, .svg or .pdf file.", valueName: "FILE")) var out: String
    @Option(help: ArgumentHelp("Canvas size: pixels for PNG, points for SVG and PDF.", valueName: "WIDTHxHEIGHT"))
    var size = "900x540"
    @Flag(help: "Log-scale y axis.") var logY = false
    @Option(help: "The figure's title (default: the metric, and the run's name for one run).") var title: String?

    func validate() throws {
        guard !dirs.isEmpty else { throw ValidationError("give at least one run directory") }
        _ = try format()
        _ = try canvasSize()
    }

    func run() throws {
        let chosen = metrics.isEmpty ? [PlotMetric.loss] : metrics
        var runs = try dirs.map(PlottedRun.load)
        // Runs of the same name (one config, two log dirs) are told apart by their directory.
        let names = runs.map(\.name)
        for index in runs.indices where names.filter({ $0 == runs[index].name }).count > 1 {
            runs[index].name = runs[index].directory
        }
        let figure = try figure(of: runs, metrics: chosen)
        try FigureRenderer().write(figure, size: canvasSize(), to: out, format: format())
        print("wrote \(out): \(figure.series.map(\.name).joined(separator: ", "))")
    }

    private func format() throws -> ImageFormat {
        guard let format = ImageFormat(path: out) else {
            throw ValidationError("--out must end in .png, .svg or .pdf, got '\(out)'")
        }
        return format
    }

    private func canvasSize() throws -> FigureSize {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        let least = FigureSize.minimum
        guard parts.count == 2, (least.width...8000).contains(parts[0]), (least.height...8000).contains(parts[1]) else {
            throw ValidationError("--size wants WIDTHxHEIGHT between \(least.width)x\(least.height) and 8000x8000, got '\(size)'")
        }
        return FigureSize(width: parts[0], height: parts[1])
    }

    /// One series per run and metric; a run without values for a metric is left out with a
    /// warning, and nothing to draw at all is an error.
    private func figure(of runs: [PlottedRun], metrics: [PlotMetric]) throws -> Figure {
        let inSteps = metrics.contains { $0.perStep }
        var series: [FigureSeries] = [], missing: [String] = []
        for run in runs {
            for metric in metrics {
                let points = run.points(metric, inSteps: inSteps)
                let name = runs.count == 1 && metrics.count > 1 ? metric.rawValue
                    : metrics.count == 1 ? run.name : "\(run.name) · \(metric.rawValue)"
                if points.isEmpty {
                    missing.append("trainboard plot: \(run.directory) has no \(metric.rawValue) values; left out\n")
                } else {
                    series.append(FigureSeries(name: name, points: points))
                }
            }
        }
        guard !series.isEmpty else {
            let wanted = metrics.map(\.rawValue).joined(separator: " or ")
            throw PlotInputError("no \(wanted) values in \(runs.map(\.directory).joined(separator: ", "))")
        }
        missing.forEach { FileHandle.standardError.write(Data($0.utf8)) }
        let yLabels = Set(metrics.map(\.axisLabel))
        let heading = metrics.map(\.title).joined(separator: ", ")
        return Figure(title: title ?? (runs.count == 1 ? "\(heading) — \(runs[0].name)" : heading),
                      xLabel: inSteps ? "step" : "epoch", yLabel: yLabels.count == 1 ? yLabels.first! : "value",
                      logY: logY, series: series)
    }
}

/// A metric `plot` draws: per epoch from the run's `epoch_end` events, or per step.
enum PlotMetric: String, CaseIterable, ExpressibleByArgument {
    case loss, valLoss = "val_loss", accuracy, valAccuracy = "val_accuracy", lr, batchLoss = "batch_loss"

    var title: String {
        switch self {
        case .loss: "Training loss"
        case .valLoss: "Validation loss"
        case .accuracy: "Training accuracy"
        case .valAccuracy: "Validation accuracy"
        case .lr: "Learning rate"
        case .batchLoss: "Batch loss"
        }
    }

    var axisLabel: String {
        switch self {
        case .loss, .valLoss, .batchLoss: "loss"
        case .accuracy, .valAccuracy: "accuracy"
        case .lr: "learning rate"
        }
    }

    var perStep: Bool { self == .lr || self == .batchLoss }
}

/// A bad run directory or a run without the asked-for values: one line, exit 1.
struct PlotInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A run directory read for plotting: its `events.jsonl` folded as the dashboard folds it
/// (so resumed runs read the same), and the learning rate from its `metrics.csv`.
struct PlottedRun {
    var directory: String
    /// The legend name: the run's name from `run_started`, else the directory's name.
    var name: String
    var model: DashboardModel
    /// `(step, lr)` of the `metrics.csv` rows that have both.
    var learningRate: [ChartPoint]

    static func load(_ directory: String) throws -> PlottedRun {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("events.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue
            throw PlotInputError(exists ? "\(directory): not a run directory (no events.jsonl)"
                                        : "\(directory): no such run directory")
        }
        var model = DashboardModel()
        do {
            try EventFileFollower(url: url).poll().forEach { model.apply($0) }
        } catch {
            throw PlotInputError("\(url.path): cannot read: \(error.localizedDescription)")
        }
        let name = model.run?.run ?? URL(fileURLWithPath: directory).lastPathComponent
        return PlottedRun(directory: directory, name: name, model: model,
                          learningRate: learningRate(csv: "\(directory)/metrics.csv"))
    }

    /// The points of `metric`; epoch metrics at their epoch, or at the epoch's last step when `inSteps`.
    func points(_ metric: PlotMetric, inSteps: Bool) -> [ChartPoint] {
        let perEpoch: [ChartPoint]
        switch metric {
        case .loss: perEpoch = model.trainLoss
        case .valLoss: perEpoch = model.valLoss
        case .accuracy: perEpoch = model.trainAccuracy
        case .valAccuracy: perEpoch = model.valAccuracy
        case .lr: return learningRate
        case .batchLoss: return batchLoss(model)
        }
        let stepsPerEpoch = Double(model.run?.stepsPerEpoch ?? 1)
        return inSteps ? perEpoch.map { ChartPoint(x: $0.x * stepsPerEpoch, y: $0.y) } : perEpoch
    }

    /// ADAPTER — the only place `plot` reads DashboardModel's batch-level data: the raw batch
    /// loss per global step, a bounded `Series`, as every point of a short run or, for a long
    /// one, each of 1,024 columns' first, extreme and last values (spikes kept).
    private func batchLoss(_ model: DashboardModel) -> [ChartPoint] {
        model.rawLoss.outline(columns: 1024)
    }

    /// The `lr` column of `metrics.csv` by `step` (empty when the file or the column is missing).
    private static func learningRate(csv path: String) -> [ChartPoint] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n")
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let step = header.firstIndex(of: "step"), let lr = header.firstIndex(of: "lr") else { return [] }
        return lines.dropFirst().compactMap { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count > max(step, lr), let x = Double(cells[step]), let y = Double(cells[lr]) else { return nil }
            return ChartPoint(x: x, y: y)
        }
    }
}
