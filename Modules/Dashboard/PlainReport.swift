import RunEvents
/// Plain-text lines for terminals without the dashboard (`watch --headless`, piped output)
/// and the run summary printed after the dashboard closes.
public enum PlainReport {
    /// The line(s) for `event` given the model after folding it, or none for per-batch events.
    public static func lines(for event: RunEvent, model: DashboardModel) -> [String] {
        switch event {
        case .runStarted(let run):
            return ["run \(run.run) · \(run.task.rawValue) · \(run.loss) · \(NumberFormat.grouped(run.model.parameters)) params · "
                + "\(run.epochs) epoch\(run.epochs == 1 ? "" : "s") × \(run.stepsPerEpoch) steps · seed \(run.seed) · config \(run.config)"
                + ((run.worldSize ?? 1) > 1 ? " · \(run.worldSize!) ranks" : "")]
        case .epochEnd(let epoch):
            return [epochLine(epoch, model: model)]
        case .checkpointSaved(let checkpoint):
            // `last` is rewritten every epoch; the summary names it once at the end.
            return checkpoint.kind == .last ? [] : ["checkpoint \(checkpoint.kind.rawValue) (epoch \(checkpoint.epoch)): \(checkpoint.path)"]
        case .message(let message):
            return ["[\(message.level.rawValue)] \(message.text)"]
        case .paused(let flag):
            return [flag ? "paused" : "resumed"]
        case .runResumed(let resumed):
            return ["resumed from \(resumed.checkpoint) at step \(resumed.step) (epoch \(resumed.epoch))"]
        case .runEnded:
            return summary(model)
        case .batchEnd, .unknown:
            return []
        }
    }

    /// One line per epoch: `epoch 3/5  train loss 0.4000 acc 85.0%  val loss 0.6000 acc 83.0%  [F1 …]  elapsed 00:15`.
    public static func epochLine(_ epoch: EpochEnd, model: DashboardModel) -> String {
        var parts = ["epoch \(epoch.epoch)/\(model.progress.epochs)", "train loss \(NumberFormat.fixed(epoch.trainLoss))"]
        if let accuracy = epoch.trainAccuracy { parts[1] += " acc \(NumberFormat.percent(accuracy))" }
        if let loss = epoch.valLoss {
            parts.append("val loss \(NumberFormat.fixed(loss))" + (epoch.valAccuracy.map { " acc \(NumberFormat.percent($0))" } ?? ""))
        }
        if let f1 = epoch.f1 { parts.append("F1 \(NumberFormat.fixed(f1, decimals: 3))") }
        if let auroc = epoch.auroc { parts.append("AUROC \(NumberFormat.fixed(auroc, decimals: 3))") }
        if let average = epoch.averagePrecision { parts.append("AP \(NumberFormat.fixed(average, decimals: 3))") }
        if model.progress.samplesPerSec > 0 { parts.append("\(NumberFormat.grouped(Int(model.progress.samplesPerSec))) samples/s") }
        if let ranks = ranksText(model) { parts.append(ranks) }
        parts.append("elapsed \(NumberFormat.duration(model.progress.elapsed))")
        return parts.joined(separator: "  ")
    }

    /// A data-parallel job's ranks and all-reduce time per step, e.g.
    /// `2 ranks · all-reduce 0.12 ms (3% of a step)`; nil for one process.
    public static func ranksText(_ model: DashboardModel) -> String? {
        guard let ranks = model.run?.worldSize, ranks > 1 else { return nil }
        guard let milliseconds = model.progress.allreduceMs else { return "\(ranks) ranks" }
        let share = model.progress.allreduceShare(batchSize: model.run?.batchSize ?? 0)
        return "\(ranks) ranks · all-reduce \(NumberFormat.fixed(milliseconds, decimals: 2)) ms"
            + (share.map { " (\(NumberFormat.percent($0)) of a step)" } ?? "")
    }

    /// The run summary: how it ended, best validation figures, summary numbers, last checkpoint.
    public static func summary(_ model: DashboardModel) -> [String] {
        let name = model.run?.run ?? "run"
        var lines = [model.ended.map { "\(name) ended: \($0.reason.rawValue)" }
            ?? "\(name): not ended (epoch \(model.progress.epoch)/\(model.progress.epochs), step \(model.progress.step))"]
        if let best = model.bestValLoss { lines.append("  best val loss \(NumberFormat.fixed(best.value)) (epoch \(best.epoch))") }
        if let best = model.bestValAccuracy { lines.append("  best val acc  \(NumberFormat.percent(best.value)) (epoch \(best.epoch))") }
        for (key, value) in (model.ended?.summary ?? [:]).sorted(by: { $0.key < $1.key }) {
            let text = key.hasSuffix("accuracy") ? NumberFormat.percent(value)
                : key.hasSuffix("seconds") ? NumberFormat.duration(value) : NumberFormat.fixed(value)
            lines.append("  \(key.replacingOccurrences(of: "_", with: " ")) \(text)")
        }
        if let checkpoint = model.lastCheckpoint { lines.append("  last checkpoint \(checkpoint.kind.rawValue): \(checkpoint.path)") }
        return lines
    }
}
