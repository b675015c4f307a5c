import Dispatch

/// Work split over the cores: one shared way to run independent chunks of a
/// loop at once (loss sweeps, optimizer updates).
public enum Parallel {
    /// The number of chunks `forEachChunk` makes: at most `maxChunks`, each at
    /// least `minimumPerChunk` long, and at least one.
    @inlinable
    public static func chunkCount(_ count: Int, minimumPerChunk: Int, maxChunks: Int) -> Int {
        Swift.max(1, Swift.min(maxChunks, count / Swift.max(1, minimumPerChunk)))
    }

    /// Calls `body(chunk, range)` for `chunkCount(...)` consecutive ranges
    /// covering `0..<count`, concurrently when there are several (one chunk
    /// runs inline). Chunks must touch disjoint memory.
    @inlinable
    public static func forEachChunk(_ count: Int, minimumPerChunk: Int, maxChunks: Int,
                                    _ body: (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(count, minimumPerChunk: minimumPerChunk, maxChunks: maxChunks)
        if chunks == 1 { body(0, 0..<count); return }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                body(c, (count * c / chunks)..<(count * (c + 1) / chunks))
            }
        }
    }
}
