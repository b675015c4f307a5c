import Dispatch

/// Work split over the cores: independent chunks of a loop at once.
///
/// - `run(parts:context:_:)` uses the helper threads GEMMs use (`BLAS`), kept
///   warm through a training step and allocation-free: for the step's own loops
///   (optimizer updates, batch assembly).
/// - `forEachChunk` takes any closure, through libdispatch: for larger, rarer
///   work (loss sweeps over big inputs).
public enum Parallel {
    /// A part of a job: `(context, part, parts)`, the context pointing at its arguments.
    public typealias PartFunction = @convention(c) (UnsafeRawPointer, Int, Int) -> Void

    /// The threads `run` spreads over (the cores, or `OPENBLAS_NUM_THREADS`).
    public static var threads: Int { BLAS.maxThreads }

    /// Calls `work(context, part, parts)` for each `part` in `0..<parts` (at most
    /// `threads`), part 0 on the calling thread, the others on the helpers, and
    /// returns when all are done. Parts must touch disjoint memory.
    public static func run(parts: Int, context: UnsafeRawPointer, _ work: PartFunction) {
        let job = WorkerPool.Job(parts: Swift.max(1, Swift.min(parts, threads)), context: context, work: work)
        if job.parts == 1 { job.run(part: 0) } else { BLAS.pool.run(job) }
    }

    /// The `part`-th of `parts` consecutive ranges covering `0..<count`.
    @inlinable
    public static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

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
