import COpenBLAS

/// Controls for the BLAS backend, and how a GEMM uses the cores.
///
/// OpenBLAS itself always runs on one thread: its threaded GEMM allocates a
/// buffer on every call, which a training step must not. A large GEMM is
/// instead split into column (or row) blocks, one per core, each an ordinary
/// one-thread `cblas_sgemm`, run on a `WorkerPool` (as fast as OpenBLAS's own
/// threads here: 128×784×256 in 264 µs against 463 µs on one thread).
///
/// Tiny GEMMs run faster whole on one thread: splitting costs more than it
/// saves. So a GEMM is split from `multithreadThreshold` multiply-adds up.
/// Measured with `trainboard bench train --multithread-threshold N` on 2 cores:
/// the reference MLP's step took 1.37 ms with every GEMM on one thread,
/// 0.80–0.87 ms with its two larger layers on two.
///
/// The choice is a fixed function of the shape, never of timing: a split
/// product can round differently from a whole one, so a timed choice would make
/// runs with the same seed differ. The choice is a ``ThreadPolicy`` bound to the
/// current task (and thread) with ``withPolicy(_:_:)`` or ``withThreads(_:_:)``,
/// never process-wide state: code running concurrently in other tasks (tests run
/// in parallel, say) keeps its own choice.
///
/// ```swift
/// let product = BLAS.withThreads(2) { a.matmul(b) }   // every GEMM inside on 2 threads
/// ```
public enum BLAS {
    /// How a GEMM chooses its thread count: pinned to one count, or by shape
    /// (all threads from `threshold` multiply-adds up, else one).
    public struct ThreadPolicy: Hashable, Sendable {
        /// The count every GEMM uses whatever its shape, or nil for the per-shape choice.
        public var pinned: Int?
        /// Multiply-adds (`m·n·k`) from which the per-shape choice uses all threads.
        public var threshold: Int

        public init(pinned: Int? = nil, threshold: Int = BLAS.multithreadThreshold) {
            (self.pinned, self.threshold) = (pinned, threshold)
        }

        /// The per-shape choice with the default threshold.
        public static let automatic = ThreadPolicy()

        /// `n` threads for every GEMM, whatever its shape.
        public static func pinned(_ n: Int) -> ThreadPolicy { ThreadPolicy(pinned: n) }

        /// The thread count a GEMM of `shape` runs with when at most `maxThreads`
        /// exist: the pinned count clamped to `1...maxThreads`, else `maxThreads`
        /// from `threshold` multiply-adds up and 1 below.
        public func threads(for shape: GemmShape, maxThreads: Int = BLAS.maxThreads) -> Int {
            if let pinned { return Swift.max(1, Swift.min(pinned, maxThreads)) }
            return shape.m * shape.n * shape.k >= threshold ? Swift.max(1, maxThreads) : 1
        }
    }

    /// The policy GEMMs of the current task (or thread, outside a task) follow;
    /// ``ThreadPolicy/automatic`` unless bound by ``withPolicy(_:_:)``.
    @TaskLocal public static var policy = ThreadPolicy.automatic

    /// Runs `body` with every GEMM it makes (on this task or thread) following `policy`.
    public static func withPolicy<R>(_ policy: ThreadPolicy, _ body: () throws -> R) rethrows -> R {
        try $policy.withValue(policy, operation: body)
    }

    /// Runs `body` with every GEMM it makes on `n` threads (1 up to `maxThreads`), whatever its shape.
    public static func withThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        try withPolicy(.pinned(n), body)
    }

    /// The thread count pinned by the current policy, or `maxThreads` under the per-shape choice.
    public static var threads: Int { policy.pinned.map { Swift.max(1, Swift.min($0, maxThreads)) } ?? maxThreads }

    /// The most threads a GEMM uses: the cores, or `OPENBLAS_NUM_THREADS` when set
    /// (OpenBLAS's own count at start), or what ``limitThreads(to:)`` set before.
    public static let maxThreads = Int(openblas_get_num_threads())

    /// The cores OpenBLAS found this process may use (or `OPENBLAS_NUM_THREADS`).
    public static var availableThreads: Int { Int(openblas_get_num_threads()) }

    /// Makes GEMMs and `Parallel.run` use at most `threads` threads. Call it at start, before
    /// anything reads ``maxThreads`` (the first GEMM or parallel job), e.g. to give each rank
    /// of an MPI job its share of a host's cores.
    public static func limitThreads(to threads: Int) {
        openblas_set_num_threads(Int32(Swift.max(1, threads)))
    }

    /// The default multiply-adds (`m·n·k`) from which a GEMM uses all threads: 2²⁰,
    /// so the reference MLP's 784→256 and 256→128 layers (≈ 2^24.6 and 2^22 at
    /// batch 128) use them and its 128→10 head (≈ 2^17.3) stays on one.
    public static let multithreadThreshold = 1 << 20

    /// A GEMM's extents.
    public struct GemmShape: Hashable, Sendable {
        public var m, n, k: Int
        public init(m: Int, n: Int, k: Int) { (self.m, self.n, self.k) = (m, n, k) }
    }

    /// The thread count a GEMM of `shape` runs with under the current policy.
    public static func threads(for shape: GemmShape) -> Int { policy.threads(for: shape) }

    /// How a GEMM of `shape` given `threads` is cut: into `parts` blocks of rows of
    /// `c` when `byRows` (when `m > n`), else of columns; at most one part per 16
    /// rows or columns, and at least one.
    public static func split(_ shape: GemmShape, threads: Int) -> (parts: Int, byRows: Bool) {
        let byRows = shape.m > shape.n
        return (Swift.min(Swift.max(1, threads), Swift.max(1, (byRows ? shape.m : shape.n) / 16)), byRows)
    }

    /// The helpers GEMMs split over; OpenBLAS is set to one thread when it starts.
    static let pool: WorkerPool = {
        openblas_set_num_threads(1)
        return WorkerPool(helpers: maxThreads - 1)
    }()

    /// `c = alpha · op(a) · op(b) + beta · c` on contiguous row-major buffers, with the
    /// thread count the current ``policy`` chooses for its shape: `op(a)` is `[m, k]` (`a` is `[k, m]` when
    /// transposed), `op(b)` is `[k, n]` (`b` is `[n, k]` when transposed), `c` is `[m, n]`.
    /// Every GEMM of the package goes through here (`Tensor.gemm` included). Split
    /// over `p` threads, `c` is cut into `p` blocks of columns (of rows when `m > n`),
    /// multiples of 16 wide, each computed by one call (`SplitGemm`).
    /// - Precondition: `m, n, k > 0`; with `beta == 0`, `c` need not be initialized.
    public static func gemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, transposeA: Bool,
                            _ b: UnsafePointer<Float>, transposeB: Bool, into c: UnsafeMutablePointer<Float>,
                            alpha: Float = 1, beta: Float = 0) {
        let shape = GemmShape(m: m, n: n, k: k)
        let (parts, byRows) = self.split(shape, threads: maxThreads > 1 ? threads(for: shape) : 1)
        let split = SplitGemm(m: m, n: n, k: k, a: a, b: b, c: c, transposeA: transposeA, transposeB: transposeB,
                              alpha: alpha, beta: beta, parts: parts, byRows: byRows)
        if parts == 1 { split.run(part: 0) } else { split.run(on: pool) }
    }
}
