import Foundation
import TensorCore

/// The GEMMs of one training step of a stack of `Linear` layers, and the
/// GEMM-bound limit of that step measured three ways in the running process.
///
/// Per layer `(in, out)` at batch `b`: forward `x·Wᵀ` (`b×in×out`), weight
/// gradient `gᵀ·x` (`out×b×in`) and, for all but the first layer, input
/// gradient `g·W` (`b×out×in`).
struct StepGemms {
    struct Gemm {
        var name: String
        var m, k, n: Int
        var transposeA, transposeB: Bool
        /// The thread count training runs it with (`BLAS.threads(for:)`).
        var chosenThreads: Int
        var flops: Double { 2 * Double(m * k * n) }
    }

    /// A GEMM's times over repeated runs, isolated (operands hot in cache).
    struct Timing {
        var gemm: Gemm
        /// Best of one and all threads: the minimum, and the median of the faster count.
        var best: Double, median: Double
        var gflops: Double { gemm.flops / best / 1e9 }
    }

    let gemms: [Gemm]

    init(batch: Int, layers: [(Int, Int)]) {
        var gemms: [Gemm] = []
        for (index, (inputs, outputs)) in layers.enumerated() {
            var shapes = [("fwd", batch, inputs, outputs, false, true), ("dW", outputs, batch, inputs, true, false)]
            if index > 0 { shapes.append(("dX", batch, outputs, inputs, false, false)) }
            for (kind, m, k, n, ta, tb) in shapes {
                gemms.append(Gemm(name: "L\(index + 1) \(kind) \(m)x\(k)x\(n)", m: m, k: k, n: n, transposeA: ta, transposeB: tb,
                                  chosenThreads: BLAS.threads(for: .init(m: m, n: n, k: k))))
            }
        }
        self.gemms = gemms
    }

    /// Operands for one GEMM: `a`, `b` and the output `c`.
    private static func operands(_ g: Gemm, _ rng: inout SeededGenerator) -> (Tensor, Tensor, Tensor) {
        (Tensor.uniform(g.transposeA ? [g.k, g.m] : [g.m, g.k], using: &rng),
         Tensor.uniform(g.transposeB ? [g.n, g.k] : [g.k, g.n], using: &rng), Tensor.zeros([g.m, g.n]))
    }

    /// Each GEMM timed alone over about `seconds` in all, on one thread and on
    /// all (or on `pinned` only), round-robin in short bursts so that a busy
    /// spell of the machine touches every shape alike.
    func isolated(seconds: Double, pinned: Int? = nil) -> [Timing] {
        var rng = SeededGenerator(seed: 1)
        var data = gemms.map { Self.operands($0, &rng) }
        let counts = pinned.map { [$0] } ?? Array(Set([1, BLAS.maxThreads])).sorted()
        var samples = [[[Double]]](repeating: [[Double]](repeating: [], count: counts.count), count: gemms.count)
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            for (i, g) in gemms.enumerated() {
                for (t, threads) in counts.enumerated() {
                    BLAS.withThreads(threads) {
                        for _ in 0..<5 {
                            let start = DispatchTime.now().uptimeNanoseconds
                            Tensor.gemm(data[i].0, data[i].1, into: &data[i].2, transposeA: g.transposeA, transposeB: g.transposeB)
                            samples[i][t].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                        }
                    }
                }
            }
        } while Date() < deadline
        return gemms.indices.map { i in
            let perCount = samples[i].map { $0.sorted() }
            let fastest = perCount.indices.min { perCount[$0][0] < perCount[$1][0] }!
            return Timing(gemm: gemms[i], best: perCount[fastest][0],
                          median: perCount.map { $0[$0.count / 2] }.min()!)
        }
    }

    /// The step's GEMMs back to back in training order (forward, then backward
    /// from the last layer), with the thread counts training uses: what a step
    /// would cost if everything but its GEMMs were free, timed over about `seconds`.
    func chain(seconds: Double) -> KernelTiming {
        var rng = SeededGenerator(seed: 2)
        var data = gemms.map { Self.operands($0, &rng) }
        let forward = gemms.indices.filter { gemms[$0].name.contains("fwd") }
        let order = forward + gemms.indices.filter { !forward.contains($0) }.reversed()
        return KernelTiming.measure("step GEMMs back to back", seconds) {
            for i in order {
                Tensor.gemm(data[i].0, data[i].1, into: &data[i].2, transposeA: gemms[i].transposeA, transposeB: gemms[i].transposeB)
            }
        }
    }
}
