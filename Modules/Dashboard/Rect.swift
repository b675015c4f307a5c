/// A rectangle of cells in a frame; the unit of layout. Splits never produce negative sizes.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The rectangle shrunk by `amount` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// The top `rows` rows and the rest.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let rows = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: rows),
                Rect(x: x, y: y + rows, width: width, height: height - rows))
    }

    /// The bottom `rows` rows and the rest.
    public func splitBottom(_ rows: Int) -> (bottom: Rect, rest: Rect) {
        let rows = min(max(0, rows), height)
        return (Rect(x: x, y: maxY - rows, width: width, height: rows),
                Rect(x: x, y: y, width: width, height: height - rows))
    }

    /// The left `columns` columns and the rest.
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let columns = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: columns, height: height),
                Rect(x: x + columns, y: y, width: width - columns, height: height))
    }

    /// The right `columns` columns and the rest.
    public func splitRight(_ columns: Int) -> (right: Rect, rest: Rect) {
        let columns = min(max(0, columns), width)
        return (Rect(x: maxX - columns, y: y, width: columns, height: height),
                Rect(x: x, y: y, width: width - columns, height: height))
    }

    /// Columns in proportion to `weights`, the last one taking the rounding remainder.
    public func columns(weights: [Int]) -> [Rect] {
        let total = max(1, weights.reduce(0, +))
        var rest = self
        return weights.enumerated().map { index, weight in
            if index == weights.count - 1 { return rest }
            let (left, remaining) = rest.splitLeft(width * weight / total)
            rest = remaining
            return left
        }
    }
}
