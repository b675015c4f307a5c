import TensorCore

/// Seeded Fisher–Yates shuffles: the same generator state gives the same
/// order on every run and machine.
public enum Shuffle {
    /// A uniformly random permutation of `0..<count`.
    public static func permutation(count: Int, using rng: inout SeededGenerator) -> [Int] {
        var order = Array(0..<max(0, count))
        var i = order.count - 1
        while i > 0 {
            let j = rng.nextIndex(below: i + 1)
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }

    /// The generator for one epoch of a seeded run: distinct, fixed streams per epoch.
    public static func generator(seed: UInt64, epoch: Int) -> SeededGenerator {
        SeededGenerator(seed: seed ^ ((UInt64(truncatingIfNeeded: epoch) &+ 1) &* 0x9E37_79B9_7F4A_7C15))
    }
}
