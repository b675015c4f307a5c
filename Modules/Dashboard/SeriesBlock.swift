/// The values of a ``Series`` whose x falls into one aligned block of a level: level `k` holds
/// blocks of width `2^k`, block `index` covering x in `[index·2^k, (index+1)·2^k)`.
///
/// Two summaries are kept so that both axes draw exactly: the finite values (linear axis) and
/// the finite positive ones (log axis); NaN and ±inf are counted.
public struct SeriesBlock: Sendable, Equatable {
    public var index: Int
    /// Finite values.
    public var finite: Bucket?
    /// Finite values above zero (what a log axis plots).
    public var positive: Bucket?
    /// How many values were NaN or ±inf.
    public var nonFinite: Int
    /// The last point, whatever its value (NaN included).
    public var lastPoint: ChartPoint

    /// A block of the single point `point` at block `index`.
    public init(_ point: ChartPoint, index: Int) {
        self.index = index
        let bucket = Bucket(point)
        finite = point.y.isFinite ? bucket : nil
        positive = ValueFilter.positive.includes(point.y) ? bucket : nil
        nonFinite = point.y.isFinite ? 0 : 1
        lastPoint = point
    }

    /// How many values the block holds.
    public var count: Int { (finite?.count ?? 0) + nonFinite }

    /// The values plotted under `filter`.
    public func values(_ filter: ValueFilter) -> Bucket? {
        filter == .finite ? finite : positive
    }

    /// The column summary of this block under `filter`.
    public func summary(_ filter: ValueFilter) -> ColumnSummary {
        ColumnSummary(values: values(filter), nonFinite: nonFinite)
    }

    /// Adds `later`, which follows this block in x (its index is not checked).
    public mutating func merge(_ later: SeriesBlock) {
        finite = Bucket.merged(finite, later.finite)
        positive = Bucket.merged(positive, later.positive)
        nonFinite += later.nonFinite
        lastPoint = later.lastPoint
    }

    /// This block's data at the next coarser level (index halved).
    var parent: SeriesBlock {
        var block = self
        block.index = index >> 1
        return block
    }
}
