/// The values of a ``Series`` whose x falls into one aligned block of a level: level `k` holds
/// blocks of width `2^k`, block `index` covering x in `[index·2^k, (index+1)·2^k)`.
///
/// Two summaries are kept so that both axes draw exactly: the finite values (linear axis) and
/// the finite positive ones (log axis); NaN and ±inf are counted. The positive ones are merged
/// apart only once a finite value ≤ 0 arrived (rare for a loss).
public struct SeriesBlock: Sendable {
    public var index: Int
    /// The finite values; `count == 0` when there are none.
    private var finiteValues: Bucket
    /// The positive values, kept apart only once a finite value ≤ 0 arrived (else they are the
    /// finite ones). Boxed: most series never need it, and a block is a pyramid's unit of memory
    /// (104 bytes with the box, 168 with a second inline ``Bucket``).
    private var positiveValues: PositiveValues?
    /// How many values were NaN or ±inf.
    public var nonFinite: Int
    /// The last point, whatever its value (NaN included).
    public var lastPoint: ChartPoint

    /// A block of the single point `point` at block `index`.
    public init(_ point: ChartPoint, index: Int) {
        self.index = index
        finiteValues = point.y.isFinite ? Bucket(point) : .empty
        positiveValues = point.y.isFinite && point.y <= 0 ? PositiveValues(nil) : nil
        nonFinite = point.y.isFinite ? 0 : 1
        lastPoint = point
    }

    /// Finite values.
    public var finite: Bucket? { finiteValues.count > 0 ? finiteValues : nil }
    /// Finite values above zero (what a log axis plots).
    public var positive: Bucket? { positiveValues.map(\.bucket) ?? finite }

    /// How many values the block holds.
    public var count: Int { finiteValues.count + nonFinite }

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
        if positiveValues != nil || later.positiveValues != nil {
            let merged = Bucket.merged(positive, later.positive)
            // In place when this block owns its box (the usual case: no allocation per value).
            if positiveValues != nil, isKnownUniquelyReferenced(&positiveValues!) {
                positiveValues!.bucket = merged
            } else {
                positiveValues = PositiveValues(merged)
            }
        }
        finiteValues.merge(later.finiteValues)
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

/// The positive values of a block holding values ≤ 0 (nil: none of them is positive).
/// Copy on write: a block changes its box only when it holds the one reference, so sharing
/// one between threads is safe.
final class PositiveValues: @unchecked Sendable {
    var bucket: Bucket?
    init(_ bucket: Bucket?) { self.bucket = bucket }
}

extension SeriesBlock: Equatable {
    public static func == (a: SeriesBlock, b: SeriesBlock) -> Bool {
        a.index == b.index && a.finite == b.finite && a.positive == b.positive && a.nonFinite == b.nonFinite
            && a.lastPoint.x == b.lastPoint.x && a.lastPoint.y.bitPattern == b.lastPoint.y.bitPattern
    }
}
