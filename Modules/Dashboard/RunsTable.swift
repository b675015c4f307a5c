/// A column of the runs table: the run, a config key that differs between runs, or a headline figure.
public enum RunsColumn: Hashable, Sendable {
    case run
    case setting(String)
    case bestValLoss, bestValAccuracy, testAccuracy
    /// Test accuracy minus the baseline's, shown once a baseline is pinned.
    case testAccuracyDelta
    case epochs, samplesPerSecond, end, lint

    /// The header text.
    public var title: String {
        switch self {
        case .run: "run"
        case .setting(let key): key
        case .bestValLoss: "best val loss"
        case .bestValAccuracy: "best val acc"
        case .testAccuracy: "test acc"
        case .testAccuracyDelta: "Δ test acc"
        case .epochs: "epochs"
        case .samplesPerSecond: "samples/s"
        case .end: "end"
        case .lint: "lint"
        }
    }
}

/// A cell's value for sorting: numbers before text, missing values last whatever the direction.
public enum SortValue: Comparable, Sendable {
    case number(Double)
    case text(String)
}

/// The runs table: which columns to show for a set of runs, each cell's text and sort value.
/// Only the config keys whose values differ between the runs get a column.
public enum RunsTable {
    /// The config keys that differ between `runs` (a key missing from some run differs), sorted.
    public static func differingKeys(_ runs: [ComparedRun]) -> [String] {
        guard runs.count > 1 else { return [] }
        let settings = runs.map(\.settings)
        let keys = Set(settings.flatMap(\.keys))
        return keys.filter { key in Set(settings.map { $0[key] ?? "∅" }).count > 1 }.sorted()
    }

    /// The columns for `runs`: the run, the differing keys, then the headline figures.
    public static func columns(_ runs: [ComparedRun], baseline: Bool) -> [RunsColumn] {
        [.run] + differingKeys(runs).map(RunsColumn.setting)
            + [.bestValLoss, .bestValAccuracy, .testAccuracy] + (baseline ? [.testAccuracyDelta] : [])
            + [.end, .lint, .epochs, .samplesPerSecond]
    }

    /// The text of `run`'s cell in `column` (`-` when unknown); `baseline` is the pinned run.
    public static func text(_ run: ComparedRun, _ column: RunsColumn, baseline: ComparedRun?) -> String {
        if case .setting(let key) = column { return run.settings[key] ?? "-" }   // as written (sorted as numbers)
        switch value(run, column, baseline: baseline) {
        case nil: return "-"
        case .text(let text)?: return text
        case .number(let number)?:
            switch column {
            case .bestValLoss: return NumberFormat.fixed(number)
            case .bestValAccuracy, .testAccuracy: return NumberFormat.percent(number)
            case .testAccuracyDelta: return (number >= 0 ? "+" : "") + NumberFormat.fixed(number * 100, decimals: 1)
            case .epochs: return String(Int(number))
            case .samplesPerSecond: return NumberFormat.grouped(Int(number))
            default: return NumberFormat.compact(number)
            }
        }
    }

    /// The value of `run`'s cell in `column`, nil when unknown.
    public static func value(_ run: ComparedRun, _ column: RunsColumn, baseline: ComparedRun?) -> SortValue? {
        let model = run.model
        switch column {
        case .run: return .text(run.label)
        case .setting(let key): return run.settings[key].map { Double($0).map(SortValue.number) ?? .text($0) }
        case .bestValLoss: return model.bestValLoss.map { .number($0.value) }
        case .bestValAccuracy: return model.bestValAccuracy.map { .number($0.value) }
        case .testAccuracy: return run.testAccuracy.map(SortValue.number)
        case .testAccuracyDelta:
            guard let mine = run.testAccuracy, let theirs = baseline?.testAccuracy else { return nil }
            return .number(mine - theirs)
        case .epochs: return model.progress.completedEpochs > 0 ? .number(Double(model.progress.completedEpochs)) : nil
        case .samplesPerSecond: return run.samplesPerSecond.map(SortValue.number)
        case .end: return .text(model.ended?.reason.rawValue ?? (model.run == nil ? "waiting" : "running"))
        case .lint: return run.lint.map(SortValue.text)
        }
    }

    /// `runs` ordered by `column` (ascending unless `descending`; unknown values last, ties by
    /// label), with the run `baseline` first.
    public static func sorted(_ runs: [ComparedRun], by column: RunsColumn, descending: Bool, baseline: String?) -> [ComparedRun] {
        let pinned = runs.first { $0.id == baseline }
        let keyed = runs.map { (run: $0, key: value($0, column, baseline: pinned)) }
        let ordered = keyed.sorted { a, b in
            switch (a.key, b.key) {
            case let (x?, y?) where x != y: return descending ? x > y : x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.run.label < b.run.label
            }
        }.map(\.run)
        guard let pinned else { return ordered }
        return [pinned] + ordered.filter { $0.id != pinned.id }
    }

    /// The table as plain text lines (header, then one line per run in `model`'s order, after
    /// its mark, `*` on the baseline and `-` on a hidden run), for output without a terminal.
    public static func plainLines(_ model: ComparisonModel) -> [String] {
        let grid = RunsGrid(model, capWidths: false)
        func line(_ marks: String, _ texts: [String]) -> String {
            (marks + " " + grid.padded(texts).joined(separator: "  ")).trimmingTrailingSpaces()
        }
        return [line("   ", grid.columns.map(\.title))] + zip(grid.rows, grid.cells).map { run, texts in
            line(String(run.mark) + (run.id == model.baseline ? "*" : " ") + (run.hidden ? "-" : " "), texts)
        }
    }
}

/// The runs table's cells laid out: columns, rows in table order, each cell's text and each
/// column's width (the widest of its title and cells, capped on screen).
public struct RunsGrid: Sendable {
    public let columns: [RunsColumn]
    public let rows: [ComparedRun]
    public let cells: [[String]]
    public let widths: [Int]

    /// Widest a cell is drawn on screen: the run label and other columns (longer text ends in `…`).
    public static let labelWidth = 24, cellWidth = 20

    public init(_ model: ComparisonModel, capWidths: Bool) {
        columns = model.columns
        rows = model.tableRows
        let baseline = model.baselineRun
        let columns = columns
        func cap(_ column: RunsColumn) -> Int { capWidths ? (column == .run ? Self.labelWidth : Self.cellWidth) : .max }
        cells = rows.map { run in
            columns.map { column in
                let text = RunsTable.text(run, column, baseline: baseline)
                return text.count > cap(column) ? String(text.prefix(cap(column) - 1)) + "…" : text
            }
        }
        let cells = cells
        widths = columns.indices.map { index in
            min(cap(columns[index]), ([columns[index].title] + cells.map { $0[index] }).map(\.count).max() ?? 0)
        }
    }

    /// `texts` (one per column) padded to the column widths.
    public func padded(_ texts: [String]) -> [String] {
        texts.indices.map { index in
            let text = texts[index].count > widths[index] ? String(texts[index].prefix(widths[index] - 1)) + "…" : texts[index]
            return text + String(repeating: " ", count: max(0, widths[index] - text.count))
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
