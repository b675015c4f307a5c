/// The current figures: latest and best validation loss and accuracy (with epochs), the latest
/// batch loss, learning rate, gradient norm and last checkpoint (its path relative to the
/// working directory, see ``DisplayPath``).
public enum FiguresPanel {
    /// Draws the panel in `rect`.
    public static func draw(_ model: DashboardModel, into frame: inout Frame, rect: Rect, focused: Bool) {
        let interior = Panel.draw(into: &frame, rect: rect, title: [StyledText("figures")], focused: focused)
        // The checkpoint path's row has no label: it takes the whole width.
        for (index, row) in rows(model, pathWidth: interior.width).enumerated() where index < interior.height {
            let label = row.label.isEmpty ? "" : row.label.padding(toLength: 10, withPad: " ", startingAt: 0) + " "
            Panel.write([StyledText(label, .axis)] + row.value, into: &frame, x: interior.x, y: interior.y + index, clip: interior)
        }
    }

    /// The label/value rows, in display order.
    /// - Parameters:
    ///   - workingDirectory: the checkpoint path is shown relative to it when inside it.
    ///   - pathWidth: the checkpoint path is shortened in the middle to this many characters (nil: whole).
    public static func rows(_ model: DashboardModel, workingDirectory: String = DisplayPath.workingDirectory,
                            pathWidth: Int? = nil) -> [(label: String, value: [StyledText])] {
        var rows: [(String, [StyledText])] = [
            ("val loss", epochValue(model.latestValLoss, best: model.bestValLoss, format: { NumberFormat.fixed($0) })),
            ("  best", epochValue(model.bestValLoss, best: nil, format: { NumberFormat.fixed($0) })),
            ("val acc", epochValue(model.latestValAccuracy, best: model.bestValAccuracy, format: NumberFormat.percent)),
            ("  best", epochValue(model.bestValAccuracy, best: nil, format: NumberFormat.percent)),
            ("loss raw", [StyledText(model.rawLoss.last.map { NumberFormat.fixed($0.y) } ?? "–",
                                     model.rawLoss.last.map { $0.y.isFinite } == false ? .bad : .normal)]),
            ("loss avg", [StyledText(model.averageLoss.last.map { NumberFormat.fixed($0.y) } ?? "–", .accent)]),
            ("lr", [StyledText(model.learningRate.map(NumberFormat.compact) ?? "–")]),
            ("grad norm", [StyledText(model.gradNorm.map(NumberFormat.compact) ?? "–")]),
        ]
        if let checkpoint = model.lastCheckpoint {
            rows.append(("checkpoint", [StyledText("\(checkpoint.kind.rawValue) (ep \(checkpoint.epoch))", .good)]))
            let path = DisplayPath.relative(checkpoint.path, to: workingDirectory)
            rows.append(("", [StyledText(pathWidth.map { DisplayPath.fitted(path, width: $0) } ?? path, .axis)]))
        } else {
            rows.append(("checkpoint", [StyledText("–")]))
        }
        return rows
    }

    private static func epochValue(_ value: EpochValue?, best: EpochValue?, format: (Double) -> String) -> [StyledText] {
        guard let value else { return [StyledText("–", .axis)] }
        let isBest = best.map { $0 == value } ?? false
        return [StyledText(format(value.value), isBest ? .good : .normal), StyledText(" (ep \(value.epoch))", .axis)]
    }
}
