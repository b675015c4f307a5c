import RunEvents

/// A key of the comparison view, independent of the terminal library.
public enum ComparisonInput: Sendable, Equatable {
    case character(Character)
    case up, down, enter, backspace, escape
}

/// Everything the comparison view shows: the runs (each folded from its events, see
/// ``ComparedRun``) and the view state the keys change. A plain value, rendered by
/// ``ComparisonRenderer``; tests build it by hand.
///
/// Keys (``handle(_:)``): `m` next metric, `1`–`5` a metric, `/` filter runs by name (type,
/// Enter keeps, Esc clears), `j`/`k` or arrows select a run, space hides/shows it, `b` pins it
/// as the baseline (again: unpins), `s` sorts by the next column, `r` reverses, `l` log scale,
/// `z`/`Z` x zoom and `e`/`E` smoothing (``ChartControls``).
public struct ComparisonModel: Sendable, Equatable {
    /// The runs in the order they appeared.
    public private(set) var runs: [ComparedRun] = []
    public var metric = ComparisonMetric.loss
    /// Runs whose label does not contain this (case-insensitive) are left out.
    public var filter = ""
    /// Typed keys go to ``filter`` (after `/`, until Enter or Esc).
    public var editingFilter = false
    public var sortColumn = RunsColumn.run
    public var sortDescending = false
    /// The pinned run's id: first in the table, the reference of `Δ test acc`.
    public var baseline: String?
    /// The selected run's id (hide and pin act on it).
    public var selected: String?
    public var logScale = false
    /// What is compared (e.g. the sweep directory), shown in the header.
    public var title: String
    /// A status line from whoever drives the view (e.g. a sweep's runs done/running/queued).
    public var status: String?
    /// The x zoom and the smoothing of the curves.
    public var charts = ChartControls()
    /// The process's CPU and memory, when the terminal layer measured them.
    public var system: SystemSample?

    /// Curve styles, one per run in turn (the mark letter tells runs apart without color).
    public static let styles: [Style] = [.accent, .secondary, .good, .warning, .border, .bad]
    /// Legend marks, one per run in turn.
    public static let marks = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public init(title: String) {
        self.title = title
    }

    /// Adds a run (its mark and style the next ones in turn); returns its index. An id already
    /// present is not added twice.
    @discardableResult
    public mutating func addRun(id: String, label: String) -> Int {
        if let index = runs.firstIndex(where: { $0.id == id }) { return index }
        let count = runs.count
        runs.append(ComparedRun(id: id, label: label, mark: Self.marks[count % Self.marks.count],
                                style: Self.styles[count % Self.styles.count]))
        if selected == nil { selected = id }
        return count
    }

    /// Changes the run `id` in place (folding events, setting its config or lint).
    public mutating func updateRun(_ id: String, _ body: (inout ComparedRun) -> Void) {
        guard let index = runs.firstIndex(where: { $0.id == id }) else { return }
        body(&runs[index])
    }

    /// The runs the filter lets through, in table order (sorted, the baseline first).
    public var tableRows: [ComparedRun] {
        let needle = filter.lowercased()
        let shown = needle.isEmpty ? runs : runs.filter { $0.label.lowercased().contains(needle) }
        return RunsTable.sorted(shown, by: columns.contains(sortColumn) ? sortColumn : .run,
                                descending: sortDescending, baseline: baseline)
    }

    /// The runs drawn in the chart: through the filter and not hidden, in table order.
    public var chartRuns: [ComparedRun] { tableRows.filter { !$0.hidden } }

    /// The table's columns for the runs shown.
    public var columns: [RunsColumn] {
        let needle = filter.lowercased()
        let shown = needle.isEmpty ? runs : runs.filter { $0.label.lowercased().contains(needle) }
        return RunsTable.columns(shown, baseline: baseline != nil)
    }

    /// The pinned run, if any.
    public var baselineRun: ComparedRun? { runs.first { $0.id == baseline } }

    /// Applies a key. Returns true for `q` (outside the filter prompt): the view should close.
    public mutating func handle(_ input: ComparisonInput) -> Bool {
        if editingFilter {
            switch input {
            case .character(let character): filter.append(character)
            case .backspace: if !filter.isEmpty { filter.removeLast() }
            case .enter: editingFilter = false
            case .escape: (filter, editingFilter) = ("", false)
            case .up, .down: break
            }
            return false
        }
        switch input {
        case .character("q"), .character("Q"): return true
        case .character("m"), .character("\t"): metric = metric.next
        case .character(let digit) where ("1"..."5").contains(digit):
            metric = ComparisonMetric(rawValue: Int(String(digit))! - 1)!
        case .character("/"): editingFilter = true
        case .escape: filter = ""
        case .character("j"), .down: moveSelection(by: 1)
        case .character("k"), .up: moveSelection(by: -1)
        case .character(" "), .character("v"): if let selected { updateRun(selected) { $0.hidden.toggle() } }
        case .character("b"): baseline = baseline == selected ? nil : selected
        case .character("s"):
            let all = columns
            sortColumn = all[((all.firstIndex(of: sortColumn) ?? -1) + 1) % all.count]
        case .character("r"): sortDescending.toggle()
        case .character("l"): logScale.toggle()
        case .character(let character) where ChartKey(character: character) != nil:
            charts.handle(ChartKey(character: character)!, runSteps: runSteps)
        default: break
        }
        return false
    }

    /// The longest run's last step: the zoom offers windows shorter than that.
    public var runSteps: Int { runs.map(\.model.progress.step).max() ?? 0 }

    /// Moves the selection `offset` rows in table order (clamped); selects the first row when
    /// the selected run is not shown.
    private mutating func moveSelection(by offset: Int) {
        let rows = tableRows
        guard !rows.isEmpty else { return }
        guard let current = rows.firstIndex(where: { $0.id == selected }) else {
            selected = rows[0].id
            return
        }
        selected = rows[min(rows.count - 1, max(0, current + offset))].id
    }
}
