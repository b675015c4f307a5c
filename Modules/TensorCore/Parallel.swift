/// Work split over the cores: independent chunks of a loop at once.
///
/// Both run on the helper threads GEMMs use (`BLAS`), kept warm through a
/// training step:
/// - `run(parts:context:_:)` takes a C function and its arguments and allocates
///   nothing: for the step's own loops (optimizer updates, batch assembly).
/// - `forEachChunk` takes any closure: for larger, rarer work (loss sweeps over
///   big inputs).
///
/// A part must not itself call `run`, `forEachChunk` or a split GEMM: the helpers
/// are busy with the outer job, so it would wait on itself.
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
    /// covering `0..<count`, on the cores (`run`; with more chunks than threads a
    /// thread takes every `threads`-th chunk; one chunk runs inline). Chunks must
    /// touch disjoint memory. Passing the closure costs one small allocation;
    /// `run` itself costs none.
    public static func forEachChunk(_ count: Int, minimumPerChunk: Int, maxChunks: Int,
                                    _ body: (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(count, minimumPerChunk: minimumPerChunk, maxChunks: maxChunks)
        if chunks == 1 { body(0, 0..<count); return }
        withoutActuallyEscaping(body) { body in
            var job = ChunkJob(body: body, count: count, chunks: chunks)
            withUnsafePointer(to: &job) { job in
                run(parts: chunks, context: UnsafeRawPointer(job)) { context, part, parts in
                    context.assumingMemoryBound(to: ChunkJob.self).pointee.run(part: part, of: parts)
                }
            }
        }
    }
}

/// `forEachChunk`'s closure and chunking, handed to the helpers by pointer.
private struct ChunkJob {
    let body: (Int, Range<Int>) -> Void
    let count: Int, chunks: Int

    /// Thread `part` of `parts` takes every `parts`-th chunk, from chunk `part`.
    func run(part: Int, of parts: Int) {
        for c in stride(from: part, to: chunks, by: parts) { body(c, Parallel.range(c, of: chunks, count: count)) }
    }
}
