#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenBLAS
import Synchronization

/// Helper threads that each run one part of a job while the caller runs part 0:
/// how GEMMs use several cores (`BLAS`) without OpenBLAS's own threads, whose
/// calls allocate a buffer each, and how other loops of a training step split
/// (`Parallel.run`). A job is a C function and a pointer to its arguments, not
/// a closure, so handing it over allocates nothing.
///
/// Between jobs a helper spins for a while (a training step issues one every
/// few microseconds), then sleeps on a condition variable until the next.
/// Callers on different threads take turns.
final class WorkerPool: @unchecked Sendable {
    /// Helper threads (the caller is the extra one).
    let helpers: Int
    /// Bumped to publish each job; helpers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// Helpers done with the current job.
    private let finished = Atomic<Int>(0)
    /// Helpers asleep (or about to be), so a caller knows to wake them.
    private let sleepers = Atomic<Int>(0)
    private nonisolated(unsafe) var job: Job?

    /// `work(context, part, parts)` for each part.
    struct Job {
        var parts: Int
        var context: UnsafeRawPointer
        var work: Parallel.PartFunction
        func run(part: Int) { work(context, part, parts) }
    }
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let turn = Mutex(())
    /// Polls of the generation before a helper goes to sleep (a millisecond or
    /// two: longer than the non-GEMM work between two steps' GEMMs).
    private static let spins = 1 << 22

    init(helpers: Int) {
        self.helpers = helpers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 0..<helpers {
            let context = Unmanaged.passRetained(Helper(pool: self, index: index + 1)).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { context in
                Unmanaged<Helper>.fromOpaque(context!).takeRetainedValue().loop()
                return nil
            }, context)
            precondition(started == 0, "cannot start a BLAS helper thread (error \(started))")
            pthread_detach(thread)
        }
    }

    /// The context handed to a helper thread.
    private final class Helper {
        unowned let pool: WorkerPool
        let index: Int
        init(pool: WorkerPool, index: Int) { (self.pool, self.index) = (pool, index) }
        func loop() { pool.serve(index) }
    }

    /// Runs every part of `job`, part 0 on the calling thread, and returns when
    /// all are done.
    func run(_ job: Job) {
        precondition(job.parts >= 1 && job.parts <= helpers + 1, "\(job.parts) parts for \(helpers) helpers")
        if job.parts == 1 { job.run(part: 0); return }
        turn.withLock { _ in
            self.job = job
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)   // publishes the job
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(mutex)
            }
            job.run(part: 0)
            var polls = 0
            while finished.load(ordering: .acquiring) < helpers { polls = Self.pause(polls) }
            self.job = nil
        }
    }

    /// One poll of a spin: every 1024th yields the core, so a helper that the
    /// scheduler has not run yet (more threads than cores) gets it soon.
    @inline(__always)
    private static func pause(_ polls: Int) -> Int {
        if polls & 1023 == 1023 { sched_yield() }
        return polls + 1
    }

    /// A helper's life: wait for a job, run its part (if it has one), report, repeat.
    private func serve(_ index: Int) {
        var seen = 0
        while true {
            var polls = 0
            while generation.load(ordering: .acquiring) == seen && polls < Self.spins { polls = Self.pause(polls) }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wake, mutex) }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if let job, index < job.parts { job.run(part: index) }
            finished.add(1, ordering: .releasing)
        }
    }
}

/// One GEMM cut into `parts` blocks of columns of `c` (of rows when `byRows`),
/// multiples of 16 wide, each computed by one one-thread `cblas_sgemm`.
struct SplitGemm: @unchecked Sendable {
    var m, n, k: Int
    var a, b: UnsafePointer<Float>
    var c: UnsafeMutablePointer<Float>
    var transposeA, transposeB: Bool
    var alpha, beta: Float
    var parts: Int
    var byRows: Bool

    /// Computes every block, on the pool's threads.
    func run(on pool: WorkerPool) {
        withUnsafePointer(to: self) { me in
            pool.run(WorkerPool.Job(parts: parts, context: UnsafeRawPointer(me)) { context, part, _ in
                context.assumingMemoryBound(to: SplitGemm.self).pointee.run(part: part)
            })
        }
    }

    /// The rows (or columns) of block `part` of `parts` over `extent`: every
    /// block but the last starts and ends on a multiple of 16.
    static func block(_ part: Int, of parts: Int, extent: Int) -> Range<Int> {
        let start = extent * part / parts / 16 * 16
        return start..<(part == parts - 1 ? extent : extent * (part + 1) / parts / 16 * 16)
    }

    /// Computes block `part` of `c`.
    func run(part: Int) {
        let block = Self.block(part, of: parts, extent: byRows ? m : n)
        let rows = byRows ? block : 0..<m, columns = byRows ? 0..<n : block
        let pa = transposeA ? a + rows.lowerBound : a + rows.lowerBound * k
        let pb = transposeB ? b + columns.lowerBound * k : b + columns.lowerBound
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(rows.count), Int32(columns.count), Int32(k), alpha, pa, Int32(transposeA ? m : k),
                    pb, Int32(transposeB ? k : n), beta, c + rows.lowerBound * n + columns.lowerBound, Int32(n))
    }
}
