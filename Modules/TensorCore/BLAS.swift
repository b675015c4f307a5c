import COpenBLAS
import Synchronization

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
/// runs with the same seed differ. `setThreads(_:)` pins one count for every shape.
public enum BLAS {
    /// Uses `n` threads (1 up to `maxThreads`) for every GEMM, whatever its shape.
    public static func setThreads(_ n: Int) {
        state.withLock { $0.pinned = Swift.max(1, Swift.min(n, maxThreads)) }
    }

    /// Goes back to the per-shape choice.
    public static func automatic() { state.withLock { $0.pinned = nil } }

    /// The thread count pinned by `setThreads`, or `maxThreads` under the per-shape choice.
    public static var threads: Int { state.withLock { $0.pinned ?? maxThreads } }

    /// The most threads a GEMM uses: the cores, or `OPENBLAS_NUM_THREADS` when set
    /// (OpenBLAS's own count at start).
    public static let maxThreads = Int(openblas_get_num_threads())

    /// Multiply-adds (`m·n·k`) from which a GEMM uses all threads: 2²⁰, so the
    /// reference MLP's 784→256 and 256→128 layers (≈ 2^24.6 and 2^22 at batch 128)
    /// use them and its 128→10 head (≈ 2^17.3) stays on one.
    public static var multithreadThreshold: Int {
        get { state.withLock { $0.threshold } }
        set { state.withLock { $0.threshold = newValue } }
    }

    /// A GEMM's extents.
    public struct GemmShape: Hashable, Sendable {
        public var m, n, k: Int
        public init(m: Int, n: Int, k: Int) { (self.m, self.n, self.k) = (m, n, k) }
    }

    /// The thread count a GEMM of `shape` runs with.
    public static func threads(for shape: GemmShape) -> Int {
        state.withLock { $0.threads(for: shape) }
    }

    struct State {
        var pinned: Int?
        var threshold = 1 << 20

        func threads(for shape: GemmShape) -> Int {
            pinned ?? (shape.m * shape.n * shape.k >= threshold ? BLAS.maxThreads : 1)
        }
    }

    static let state = Mutex(State())

    /// The helpers GEMMs split over; OpenBLAS is set to one thread when it starts.
    static let pool: WorkerPool = {
        openblas_set_num_threads(1)
        return WorkerPool(helpers: maxThreads - 1)
    }()

    /// `c = alpha · op(a) · op(b) + beta · c` on contiguous row-major buffers, with the
    /// thread count chosen for its shape: `op(a)` is `[m, k]` (`a` is `[k, m]` when
    /// transposed), `op(b)` is `[k, n]` (`b` is `[n, k]` when transposed), `c` is `[m, n]`.
    /// Every GEMM of the package goes through here (`Tensor.gemm` included). Split
    /// over `p` threads, `c` is cut into `p` blocks of columns (of rows when `m > n`),
    /// multiples of 16 wide, each computed by one call (`SplitGemm`).
    /// - Precondition: `m, n, k > 0`; with `beta == 0`, `c` need not be initialized.
    public static func gemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, transposeA: Bool,
                            _ b: UnsafePointer<Float>, transposeB: Bool, into c: UnsafeMutablePointer<Float>,
                            alpha: Float = 1, beta: Float = 0) {
        let threads = maxThreads > 1 ? self.threads(for: GemmShape(m: m, n: n, k: k)) : 1
        let byRows = m > n
        let parts = Swift.min(threads, Swift.max(1, (byRows ? m : n) / 16))
        let split = SplitGemm(m: m, n: n, k: k, a: a, b: b, c: c, transposeA: transposeA, transposeB: transposeB,
                              alpha: alpha, beta: beta, parts: parts, byRows: byRows)
        if parts == 1 { split.run(part: 0) } else { split.run(on: pool) }
    }
}
