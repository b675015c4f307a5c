import Foundation
import NN
import TensorCore

/// The GEMMs of one training step of a model of `Linear` and `Conv2d` layers,
/// and the GEMM-bound limit of that step measured three ways in the running process.
///
/// Per `Linear(in, out)` at batch `b`: forward `x·Wᵀ` (`b×in×out`), weight gradient
/// `gᵀ·x` (`out×b×in`) and, for all but the first layer, input gradient `g·W`
/// (`b×out×in`). Per `Conv2d` (`O` filters of `C·k·k` over `P` positions), once per
/// sample, on one thread each with the samples split over the cores as
/// `Conv2DKernel` runs them: forward `W·cols` (`O×Ck²×P`), weight gradient
/// `g·colsᵀ` (`O×P×Ck²`) and, but for the first layer, input gradient `Wᵀ·g` (`Ck²×O×P`).
struct StepGemms {
    struct Gemm {
        var name: String
        var m, k, n: Int
        var transposeA, transposeB: Bool
        /// The thread count training runs it with (`BLAS.threads(for:)`; 1 per sample for convolutions).
        var chosenThreads: Int
        /// Calls per step on each core: 1 for a `Linear`'s, the batch over the cores for a convolution's.
        var callsPerCore: Double = 1
        var flops: Double { 2 * Double(m * k * n) }
    }

    /// A GEMM's times over repeated runs, isolated (operands hot in cache).
    struct Timing {
        var gemm: Gemm
        /// Best of one and all threads: the minimum, and the median of the faster count.
        var best: Double, median: Double
        var gflops: Double { gemm.flops / best / 1e9 }
        /// What this GEMM costs a step (each core's share of its calls): best and median.
        var stepBest: Double { best * gemm.callsPerCore }
        var stepMedian: Double { median * gemm.callsPerCore }
    }

    let gemms: [Gemm]

    /// The GEMMs of `Linear` layers `(in, out)` at batch `batch`.
    init(batch: Int, layers: [(Int, Int)]) {
        self.init(batch: batch, model: Sequential([]), sample: [], linears: layers)
    }

    /// The GEMMs of `model`'s step for samples shaped `sample`.
    init(batch: Int, model: Sequential, sample: [Int], linears: [(Int, Int)]? = nil) {
        var gemms: [Gemm] = []
        func add(_ name: String, _ shapes: [(String, Int, Int, Int, Bool, Bool)], perSample: Bool) {
            for (kind, m, k, n, ta, tb) in shapes {
                gemms.append(Gemm(name: "\(name) \(kind) \(m)x\(k)x\(n)", m: m, k: k, n: n, transposeA: ta, transposeB: tb,
                                  chosenThreads: perSample ? 1 : BLAS.threads(for: .init(m: m, n: n, k: k)),
                                  callsPerCore: perSample ? Double(batch) / Double(min(BLAS.maxThreads, batch)) : 1))
            }
        }
        var shape = sample, index = 0
        func linear(_ inputs: Int, _ outputs: Int) {
            var shapes = [("fwd", batch, inputs, outputs, false, true), ("dW", outputs, batch, inputs, true, false)]
            if index > 0 { shapes.append(("dX", batch, outputs, inputs, false, false)) }
            index += 1
            add("L\(index)", shapes, perSample: false)
        }
        for (inputs, outputs) in linears ?? [] { linear(inputs, outputs) }
        for layer in model.layers {
            if let l = layer as? Linear { linear(l.inFeatures, l.outFeatures) }
            if let conv = layer as? Conv2d {
                let g = conv.geometry(shape)
                var shapes = [("fwd", g.outChannels, g.patch, g.positions, false, false),
                              ("dW", g.outChannels, g.positions, g.patch, false, true)]
                if index > 0 { shapes.append(("dX", g.patch, g.outChannels, g.positions, true, false)) }
                index += 1
                add("C\(index)", shapes, perSample: true)
            }
            shape = (layer as? any BufferedLayer)?.outputShape(forInput: shape) ?? shape
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
        // A convolution's per-sample GEMMs run on one thread, beside the other core's.
        let oneThread = gemms.map { $0.callsPerCore != 1 }
        var samples = [[[Double]]](repeating: [[Double]](repeating: [], count: counts.count), count: gemms.count)
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            for (i, g) in gemms.enumerated() {
                for (t, threads) in counts.enumerated() where !(oneThread[i] && threads != 1) {
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
            let perCount = samples[i].filter { !$0.isEmpty }.map { $0.sorted() }
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
                for _ in 0..<Int(gemms[i].callsPerCore.rounded(.up)) {
                    Tensor.gemm(data[i].0, data[i].1, into: &data[i].2, transposeA: gemms[i].transposeA, transposeB: gemms[i].transposeB)
                }
            }
        }
    }
}
