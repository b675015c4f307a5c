import COpenBLAS
import Synchronization

/// Controls for the BLAS backend, and the per-shape choice of OpenBLAS threads.
///
/// Tiny GEMMs run faster on one thread: waking and joining the helpers costs
/// more than they save. So a GEMM uses all threads from `multithreadThreshold`
/// multiply-adds up, one thread below. Measured with `trainboard bench train
/// --multithread-threshold N` on 2 cores: the reference MLP's step took 1.37 ms
/// with every GEMM on one thread, 0.80–0.87 ms with its two larger layers on two.
///
/// The choice is a fixed function of the shape, never of timing: OpenBLAS's
/// rounding depends on the thread count, so a timed choice would make runs with
/// the same seed differ. `setThreads(_:)` pins one count for every shape instead.
public enum BLAS {
    /// Sets how many threads OpenBLAS uses for every call (turns off the per-shape choice).
    public static func setThreads(_ n: Int) {
        state.withLock { s in
            s.pinned = n
            s.apply(n)
        }
    }

    /// Goes back to the per-shape choice.
    public static func automatic() { state.withLock { $0.pinned = nil } }

    /// The number of threads OpenBLAS uses now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The most threads OpenBLAS may use (its count at start, from the cores or `OPENBLAS_NUM_THREADS`).
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
        /// The thread count OpenBLAS was last set to.
        var applied = BLAS.maxThreads

        func threads(for shape: GemmShape) -> Int {
            pinned ?? (shape.m * shape.n * shape.k >= threshold ? BLAS.maxThreads : 1)
        }

        mutating func apply(_ n: Int) {
            if n != applied {
                openblas_set_num_threads(Int32(n))
                applied = n
            }
        }
    }

    static let state = Mutex(State())

    /// `c = alpha · op(a) · op(b) + beta · c` on contiguous row-major buffers, with the
    /// thread count chosen for its shape: `op(a)` is `[m, k]` (`a` is `[k, m]` when
    /// transposed), `op(b)` is `[k, n]` (`b` is `[n, k]` when transposed), `c` is `[m, n]`.
    /// Every GEMM of the package goes through here (`Tensor.gemm` included).
    /// - Precondition: `m, n, k > 0`; with `beta == 0`, `c` need not be initialized.
    public static func gemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, transposeA: Bool,
                            _ b: UnsafePointer<Float>, transposeB: Bool, into c: UnsafeMutablePointer<Float>,
                            alpha: Float = 1, beta: Float = 0) {
        if maxThreads > 1 { state.withLock { s in s.apply(s.threads(for: GemmShape(m: m, n: n, k: k))) } }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}
