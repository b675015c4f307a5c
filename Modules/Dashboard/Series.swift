import Foundation

/// A chart series in bounded memory: a pyramid of levels, level `k` summarising the values in
/// aligned x blocks of width `2^k` (min/max, first/last, sum, count, NaN count: see
/// ``SeriesBlock``). Each level keeps its most recent `capacity` closed blocks, so level 0 holds
/// the recent end exactly (one block per integer step) and the coarse levels reach back to the
/// start of the run; the memory is `O(capacity · log(count / capacity))` (104 bytes a block:
/// 0.9 MB per series at 100,000 steps, 1.6 MB at 10,000,000), whatever the run's length.
///
/// Points arrive in x order (global steps); one with an earlier x than the newest block is
/// counted in the newest block. Appending costs `O(1)` amortized: a block reaches the next
/// level when it closes. ``columns(_:over:filter:)`` answers a chart of `W` columns in `O(W)`
/// and gives the same columns as ``Downsampler/columns(_:count:xRange:blockWidth:filter:)`` over
/// every point, as long as a level of the needed width still reaches back to the range's start
/// (always for `W ≤ capacity / 2`). Spikes and NaN/inf markers survive any amount of history.
public struct Series: Sendable, Equatable {
    /// Blocks kept per level by default: exact charts up to 511 pixel columns (255 terminal cells).
    public static let defaultCapacity = 1024

    /// Closed blocks each level keeps (plus the one filling).
    public let capacity: Int
    private var levels: [SeriesLevel] = []
    /// The level-0 index of the first block: levels start there.
    private var origin: Int?

    public init(capacity: Int = Self.defaultCapacity) {
        precondition(capacity >= 2, "a Series keeps at least 2 blocks per level")
        self.capacity = capacity
    }

    /// Everything appended and kept, merged into one block: the top level, which reaches back
    /// to the start and holds a few blocks (`O(levels)`, computed when asked).
    private var totals: SeriesBlock? {
        guard let top = levels.indices.last else { return nil }
        var result: SeriesBlock?
        forEachBlock(top, from: .min) { block in
            if result == nil { result = block } else { result!.merge(block) }
            return true
        }
        return result
    }

    /// Whether no point was appended (or all were truncated).
    public var isEmpty: Bool { levels.isEmpty }
    /// How many points the series holds.
    public var count: Int { totals?.count ?? 0 }
    /// The most recent point, whatever its value (NaN included).
    public var last: ChartPoint? { totals?.lastPoint }
    /// All plotted values under `filter` merged: the y extremes and the x extent of the series.
    public func values(_ filter: ValueFilter) -> Bucket? { totals?.values(filter) }
    /// How many NaN or ±inf values the series holds.
    public var nonFiniteCount: Int { totals?.nonFinite ?? 0 }
    /// The number of levels (for tests and memory figures): `≈ log2(count / capacity) + 2`.
    public var levelCount: Int { levels.count }
    /// The number of blocks stored in all levels.
    public var storedBlocks: Int { levels.reduce(0) { $0 + $1.blocks.count + ($1.open == nil ? 0 : 1) } }

    /// Appends the value `y` at `x` (points with a non-finite or huge x are ignored).
    public mutating func append(x: Double, y: Double) {
        guard x.isFinite, abs(x) < 0x1p52 else { return }
        let point = ChartPoint(x: x, y: y)
        let block = SeriesBlock(point, index: Int(x.rounded(.down)))
        feed(block, level: 0)
    }

    /// Appends `point`; see ``append(x:y:)``.
    public mutating func append(_ point: ChartPoint) {
        append(x: point.x, y: point.y)
    }

    /// Adds the whole block `block` at `level` (a point at level 0, or a summary when rebuilding).
    private mutating func feed(_ block: SeriesBlock, level: Int) {
        if origin == nil { origin = block.index << level }
        // Levels below a block fed whole (a rebuild) hold nothing until their first block.
        while levels.count < level { levels.append(SeriesLevel(reach: .max)) }
        var block = block, level = level
        while true {
            if levels.count == level { levels.append(SeriesLevel()) }
            guard let closed = levels[level].push(block, capacity: capacity) else { return }
            block = closed.parent
            level += 1
        }
    }

    /// The blocks of `level` not yet passed up to it: the open blocks of the finer levels,
    /// mapped to `level`'s width, after its own open block (at most a few; one array).
    private func tail(_ level: Int) -> [SeriesBlock] {
        var tail: [SeriesBlock] = []
        tail.reserveCapacity(4)
        if let open = levels.first?.open { tail.append(open) }
        for k in stride(from: 1, through: level, by: 1) {
            // Parents of the finer tail, merged where they share (or precede) an index…
            var kept = 0
            for position in tail.indices {
                let parent = tail[position].parent
                if kept > 0, parent.index <= tail[kept - 1].index { tail[kept - 1].merge(parent) } else {
                    tail[kept] = parent
                    kept += 1
                }
            }
            tail.removeLast(tail.count - kept)
            // …after this level's open block, which absorbs those at or before its index.
            if var open = levels[k].open {
                var absorbed = 0
                while absorbed < tail.count, tail[absorbed].index <= open.index {
                    open.merge(tail[absorbed])
                    absorbed += 1
                }
                tail.replaceSubrange(0..<absorbed, with: CollectionOfOne(open))
            }
        }
        return tail
    }

    /// Calls `body` with the blocks of `level` of index ≥ `from`, in x order (the first found by
    /// bisection), until it returns false.
    private func forEachBlock(_ level: Int, from index: Int, _ body: (SeriesBlock) -> Bool) {
        let stored = levels[level].blocks
        var low = 0, high = stored.count
        while low < high {
            let middle = (low + high) / 2
            if stored[middle].index < index { low = middle + 1 } else { high = middle }
        }
        for position in low..<stored.count where !body(stored[position]) { return }
        for block in tail(level) where block.index >= index && !body(block) { return }
    }

    /// The blocks of `level` of index ≥ `from`, in x order.
    private func blocks(_ level: Int, from index: Int) -> [SeriesBlock] {
        var result: [SeriesBlock] = []
        forEachBlock(level, from: index) { result.append($0); return true }
        return result
    }

    /// Whether `level` still holds every block from level-0 x index `start` on.
    private func reaches(_ level: Int, back start: Int) -> Bool {
        let reach = levels[level].reach
        return reach == Int.min || reach <= max(start, origin ?? start) >> level
    }

    /// The width (a power of two) of the x blocks that make up chart columns for `columns`
    /// columns over an x range of `span`: the largest power of two at most `span / columns`, ≥ 1.
    public static func blockWidth(span: Double, columns: Int) -> Int {
        let perColumn = columns > 0 ? span / Double(columns) : 1
        guard perColumn >= 2 else { return 1 }
        return 1 << min(52, Int(log2(perColumn).rounded(.down)))
    }

    /// One summary per column for `count` equal columns over `xRange`: each block of width
    /// ``blockWidth(span:columns:)`` that overlaps the range goes wholly into the column its
    /// start falls in (clamped to the edges); nil for columns without values. `O(count)`.
    /// When no level of that width reaches back to the range's start (a chart wider than
    /// `capacity / 2` columns), the finest level that does is used instead.
    public func columns(_ count: Int, over xRange: ClosedRange<Double>, filter: ValueFilter = .finite) -> [ColumnSummary?] {
        var result = [ColumnSummary?](repeating: nil, count: max(0, count))
        guard count > 0, !levels.isEmpty else { return result }
        let width = Self.blockWidth(span: xRange.upperBound - xRange.lowerBound, columns: count)
        var shift = width.trailingZeroBitCount
        let lowX = Int(xRange.lowerBound.rounded(.down)), highX = Int(xRange.upperBound.rounded(.down))
        while shift < levels.count - 1 && !reaches(shift, back: lowX) { shift += 1 }
        let level = min(shift, levels.count - 1)
        let first = lowX >> shift, last = highX >> shift, finer = shift - level
        forEachBlock(level, from: first << finer) { block in
            let index = block.index >> finer
            guard index <= last else { return false }
            let column = Downsampler.column(ofBlockStart: Double(index << shift), count: count, xRange: xRange)
            let summary = block.summary(filter)
            if result[column] == nil { result[column] = summary } else { result[column]!.merge(summary) }
            return true
        }
        return result
    }

    /// Points that draw like the series on a chart of `columns` columns over its whole x range,
    /// for plotters that join points with lines (`trainboard plot`): every point while they
    /// are at most `columns` and exact, else per column its first value (at its x), its
    /// extremes (in the order that joins them with fewest turns, at the column's middle x)
    /// and its last value (at its x), so spikes survive. Values outside `filter` are left out.
    public func outline(columns: Int, filter: ValueFilter = .finite) -> [ChartPoint] {
        if count <= columns, let exact = recentPoints() {
            return exact.compactMap { $0.values(filter).map { ChartPoint(x: $0.firstX, y: $0.first) } }
        }
        guard let extent = values(filter), extent.lastX > extent.firstX else {
            return values(filter).map { [ChartPoint(x: $0.firstX, y: $0.first)] } ?? []
        }
        var points: [ChartPoint] = []
        for case let bucket? in self.columns(columns, over: extent.firstX...extent.lastX, filter: filter).map({ $0?.values }) {
            let middle = (bucket.firstX + bucket.lastX) / 2
            let rising = bucket.last >= bucket.first
            points.append(ChartPoint(x: bucket.firstX, y: bucket.first))
            points.append(ChartPoint(x: middle, y: rising ? bucket.min : bucket.max))
            points.append(ChartPoint(x: middle, y: rising ? bucket.max : bucket.min))
            points.append(ChartPoint(x: bucket.lastX, y: bucket.last))
        }
        return points
    }

    /// The first level-0 x index from which every point is still held exactly (see
    /// ``recentPoints(from:)``), nil when level 0 holds none.
    public var exactStart: Int? {
        guard let reach = levels.first?.reach, reach != .max else { return nil }
        return reach == .min ? origin : reach
    }

    /// The exact points from level-0 x index `start` on (one block per integer x), nil when
    /// level 0 no longer reaches back there (only the last `capacity`… steps are exact).
    public func recentPoints(from start: Int = Int.min) -> [SeriesBlock]? {
        guard !levels.isEmpty else { return [] }
        guard reaches(0, back: start) else { return nil }
        return blocks(0, from: start)
    }

    /// Drops the values at x beyond `x` (a resumed run undid them). Exact while level 0 still
    /// reaches back to `x`; further back, the coarse block holding `x` is dropped whole.
    public mutating func truncate(after x: Double) {
        guard let keep = x.isFinite ? Int(x.rounded(.down)) : nil, let last, last.x >= Double(keep + 1) else { return }
        var rebuilt = Series(capacity: capacity)
        var boundary = Int.min
        for level in stride(from: levels.count - 1, through: 0, by: -1) {
            // Feed this level up to where the next finer one starts (rounded up to a whole block).
            var cut = Int.max
            if level > 0 {
                let finer = levels[level - 1].reach
                switch finer {
                case .min: cut = .min       // the finer level holds everything
                case .max: cut = .max       // it holds nothing
                default: cut = (((finer << (level - 1)) + (1 << level) - 1) >> level) << level
                }
            }
            for block in blocks(level, from: Int.min) {
                let start = block.index << level
                if start >= boundary, start < cut, start + (1 << level) - 1 <= keep {
                    rebuilt.feed(block, level: level)
                }
            }
            boundary = max(boundary, cut)
        }
        self = rebuilt
    }
}

/// One level of a ``Series``: closed blocks in x order and the block still filling.
struct SeriesLevel: Sendable, Equatable {
    var blocks = BlockRing()
    var open: SeriesBlock?
    /// The first block index the level still holds all later blocks from (`Int.min`: all).
    var reach = Int.min

    /// Adds `block`: merged into the open block when at or before it, else it opens and the
    /// previous open block closes (kept, the oldest dropped beyond `capacity`) and is returned,
    /// for the next level.
    mutating func push(_ block: SeriesBlock, capacity: Int) -> SeriesBlock? {
        guard let index = open?.index else {
            open = block
            if reach == .max { reach = block.index }
            return nil
        }
        if block.index <= index {
            open!.merge(block)
            return nil
        }
        let current = open.take()!   // moved out: no copy of the block and its box
        open = block
        blocks.append(current, limit: capacity + 1)
        if blocks.count > capacity {
            blocks.forget(first: 1)
            reach = blocks[0].index
        }
        return current
    }
}

/// The closed blocks of a level in a ring of at most `limit` slots: dropping the oldest moves
/// nothing (a full level drops one block per block it closes).
struct BlockRing: Sendable, Equatable, RandomAccessCollection {
    private var storage: [SeriesBlock] = []
    private var start = 0
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> SeriesBlock {
        storage[(start + position) % storage.count]
    }

    /// Appends `block` (the ring holds at most `limit`: drop blocks before it is full).
    mutating func append(_ block: SeriesBlock, limit: Int) {
        if storage.count < limit {
            storage.append(block)
        } else {
            storage[(start + count) % storage.count] = block
        }
        count += 1
    }

    /// Forgets the oldest `dropped` blocks.
    mutating func forget(first dropped: Int) {
        start = (start + dropped) % Swift.max(1, storage.count)
        count -= dropped
    }

    static func == (a: BlockRing, b: BlockRing) -> Bool {
        a.elementsEqual(b)
    }
}
