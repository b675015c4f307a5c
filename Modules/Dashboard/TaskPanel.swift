import RunEvents
/// The task panel for the last validation: a confusion matrix with per-class recall for
/// multiclass runs, precision/recall/F1/AUROC at the threshold for binary runs, with the
/// ROC and precision–recall curves beside them where there is room (``CurvePanel``).
public enum TaskPanel {
    /// Draws the panel in `rect`.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect, focused: Bool) {
        let epochNote = model.lastEpoch.map { " (epoch \($0.epoch))" } ?? ""
        let name = model.run?.task == .binary ? "binary metrics" : "confusion matrix"
        let interior = Panel.draw(into: &frame, rect: rect, title: [StyledText(name + epochNote)], focused: focused)
        guard interior.height > 0 else { return }
        let curves = model.lastEpoch.flatMap { CurvePanel.layout(for: $0, in: interior) }
        let text = curves?.figures ?? interior
        let content = model.lastEpoch.map { lines(for: $0, task: model.run?.task, classNames: model.run?.classNames ?? [], width: text.width) } ?? []
        if content.isEmpty {
            frame.put("waiting for validation…", x: text.x, y: text.y, style: .axis, clip: text)
            return
        }
        let visible = content.count > text.height
            ? Array(content.prefix(text.height - 1)) + [[StyledText("… \(content.count - text.height + 1) more rows (Tab enlarges)", .axis)]]
            : content
        for (index, line) in visible.enumerated() {
            Panel.write(line, into: &frame, x: text.x, y: text.y + index, clip: text)
        }
        if let curves, let epoch = model.lastEpoch { CurvePanel.draw(epoch, layout: curves, into: &frame) }
    }

    /// The panel's text lines for `epoch`; `width` is used to size the binary meters.
    public static func lines(for epoch: EpochEnd, task: TaskKind?, classNames: [String], width: Int) -> [[StyledText]] {
        if let confusion = epoch.confusion, task != .binary {
            return confusionLines(confusion, recall: epoch.perClassRecall, classNames: classNames, width: width)
        }
        return binaryLines(epoch, width: width)
    }

    /// Header row plus one row per true class: counts (diagonal `.good`, errors `.warning`) and recall.
    /// Names are cut to fit; when `width` leaves room, the row labels and then the columns
    /// widen towards the longest name.
    public static func confusionLines(_ matrix: [[Int]], recall: [Double]?, classNames: [String], width: Int = 0) -> [[StyledText]] {
        let count = matrix.count
        let names = (0..<count).map { $0 < classNames.count ? classNames[$0] : String($0) }
        let largest = matrix.flatMap { $0 }.max() ?? 0
        let longest = names.map(\.count).max() ?? 1
        var cellWidth = max(5, String(largest).count + 1)
        var labelWidth = min(10, max(5, longest + 1))
        let recallWidth = 8
        func total() -> Int { labelWidth + count * cellWidth + recallWidth }
        while labelWidth < min(longest + 1, 16), total() < width { labelWidth += 1 }
        while cellWidth < longest + 1, total() + count <= width { cellWidth += 1 }
        func pad(_ text: String, _ width: Int) -> String {
            let cut = String(text.prefix(width - 1))
            return String(repeating: " ", count: width - cut.count) + cut
        }
        var header = [StyledText(String(repeating: " ", count: labelWidth) + "")]
        header += names.map { StyledText(pad($0, cellWidth), .axis) }
        header.append(StyledText("  recall", .axis))
        var lines = [header]
        for (row, counts) in matrix.enumerated() {
            var line = [StyledText(String(names[row].prefix(labelWidth - 1)).padding(toLength: labelWidth, withPad: " ", startingAt: 0), .accent)]
            for (column, value) in counts.enumerated() {
                let style: Style = column == row ? .good : (value == 0 ? .axis : .warning)
                line.append(StyledText(pad(String(value), cellWidth), style))
            }
            let rowRecall = recall.flatMap { row < $0.count ? $0[row] : nil }
                ?? (counts.reduce(0, +) > 0 && row < counts.count ? Double(counts[row]) / Double(counts.reduce(0, +)) : .nan)
            line.append(StyledText(pad(NumberFormat.percent(rowRecall), recallWidth)))
            lines.append(line)
        }
        return lines
    }

    /// Threshold and one meter row per binary metric (AP: average precision).
    public static func binaryLines(_ epoch: EpochEnd, width: Int) -> [[StyledText]] {
        let metrics: [(String, Double?)] = [("precision", epoch.precision), ("recall", epoch.recall),
                                            ("F1", epoch.f1), ("AUROC", epoch.auroc), ("AP", epoch.averagePrecision)]
        guard metrics.contains(where: { $0.1 != nil }) else { return [] }
        var lines: [[StyledText]] = [[StyledText("threshold  ", .axis), StyledText(epoch.threshold.map { NumberFormat.fixed($0, decimals: 2) } ?? "–")]]
        let meterWidth = max(0, min(30, width - 20))
        for (name, value) in metrics {
            guard let value else { continue }
            let meter = Meter(fraction: value, width: meterWidth)
            lines.append([StyledText(name.padding(toLength: 11, withPad: " ", startingAt: 0), .axis),
                          StyledText(NumberFormat.fixed(value, decimals: 3) + " "),
                          StyledText(meter.bar, value >= 0.8 ? .good : (value >= 0.5 ? .warning : .bad))])
        }
        return lines
    }
}
