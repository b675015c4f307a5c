import COpenBLAS
import Synchronization

/// Controls for the BLAS backend, and the per-shape choice of OpenBLAS threads.
///
/// Small GEMMs, and any GEMM on a machine whose other cores are busy, often run
/// faster on one thread than on several: waking and joining the helpers costs
/// more than they save. By default (`automatic`) each GEMM shape is timed in
/// place during its first calls, alternating one thread and all threads, and
/// then runs with whichever had the lower median. Results do not depend on the
/// choice: OpenBLAS splits the output among threads, never the inner sum.
/// `setThreads(_:)` pins a count for every shape instead.
public enum BLAS {
    /// Sets how many threads OpenBLAS uses for every call (turns off the per-shape choice).
    public static func setThreads(_ n: Int) {
        state.withLock { s in
            s.pinned = n
            s.apply(n)
        }
    }

    /// Goes back to choosing the thread count per shape by timing.
    public static func automatic() { state.withLock { $0.pinned = nil } }

    /// The number of threads OpenBLAS uses now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The most threads OpenBLAS may use (its count at start, from the cores or `OPENBLAS_NUM_THREADS`).
    public static let maxThreads = Int(openblas_get_num_threads())

    /// A GEMM's extents and transposes: what the thread choice is remembered by.
    public struct GemmShape: Hashable, Sendable {
        public var m, n, k: Int
        public var transposeA, transposeB: Bool
        public init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
            (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
        }
    }

    /// The thread count chosen for `shape`, or nil while it is still being timed (or pinned).
    public static func chosenThreads(for shape: GemmShape) -> Int? {
        state.withLock { $0.plans[shape]?.chosen }
    }

    /// Calls to time per candidate thread count before choosing.
    static let trials = 6

    struct Plan {
        var seconds: [[Double]] = [[], []]   // one thread, maxThreads
        var calls = 0
        var chosen: Int?
    }

    struct State {
        var pinned: Int?
        var plans: [GemmShape: Plan] = [:]
        /// The thread count OpenBLAS was last set to.
        var applied = BLAS.maxThreads

        mutating func apply(_ n: Int) {
            if n != applied {
                openblas_set_num_threads(Int32(n))
                applied = n
            }
        }
    }

    static let state = Mutex(State())

    /// Runs one GEMM of `shape` with the thread count its plan says, timing it while the plan is open.
    @inline(__always)
    static func run(_ shape: GemmShape, _ gemm: () -> Void) {
        guard maxThreads > 1 else { return gemm() }
        // (count, slot to record in, or nil when the choice is made or pinned)
        // The slot to record the time in; nil once the choice is made (or pinned).
        let slot: Int? = state.withLock { s in
            if let pinned = s.pinned { s.apply(pinned); return nil }
            var plan = s.plans[shape] ?? Plan()
            defer { s.plans[shape] = plan }
            if let chosen = plan.chosen { s.apply(chosen); return nil }
            plan.calls += 1
            if plan.calls == 1 { s.apply(1); return nil }   // warm-up: packing buffers, page faults
            let slot = plan.calls % 2
            s.apply(slot == 0 ? 1 : maxThreads)
            return slot
        }
        guard let slot else { return gemm() }
        let clock = ContinuousClock(), start = clock.now
        gemm()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        state.withLock { s in
            guard s.pinned == nil, var plan = s.plans[shape], plan.chosen == nil else { return }
            plan.seconds[slot].append(seconds)
            if plan.seconds.allSatisfy({ $0.count >= trials }) {
                let medians = plan.seconds.map { $0.sorted()[$0.count / 2] }
                plan.chosen = medians[1] < medians[0] ? maxThreads : 1
            }
            s.plans[shape] = plan
        }
    }
}
