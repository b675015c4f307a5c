import ArgumentParser
import Foundation
import TensorCore
import Training

/// `trainboard bench train`: the reference MLP on Fashion-MNIST through the
/// same `TrainingRun`/`Trainer` path `fit` uses (checkpoints off), with the
/// step's GEMM-bound limit measured in the same run for the exact GEMM shapes.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput of the reference MLP vs the GEMM-bound limit of its step.",
        discussion: "The limit is the step's forward and backward GEMMs (the first layer needs no input "
            + "gradient), each timed best-of in this run; overhead = 1 − limit / measured step time.")

    @Option(help: "The run's YAML file.") var config = "Config/fashion-mnist-mlp.yaml"
    @Option(help: "Samples per batch.") var batch = 128
    @Option(help: "Epochs to train.") var epochs = 1
    @Option(help: "Seconds to spend timing each GEMM shape.") var gemmSeconds = 0.3
    @Option(help: "Pin OpenBLAS threads (default: chosen per GEMM shape by timing).") var threads: Int?
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        if let threads { BLAS.setThreads(threads) }
        let settings = ["data.batch_size=\(batch)", "trainer.max_epochs=\(epochs)",
                        "log_dir=\(NSTemporaryDirectory())trainboard-bench-train"]
        let config = try RunConfig.load(path: self.config, overrides: settings)
        let run = try TrainingRun(config: config)
        run.trainer.checkpointer = nil
        let allocations = AllocationProbe()
        var stepAllocations: [Int] = []
        stepAllocations.reserveCapacity(epochs * 1024)
        var stepIndex = 0
        let steps = run.trainLoader.batchCount
        var rssPerEpoch: [Double] = []
        run.trainer.observers = [{ event in
            guard case .batchEnded(let end) = event else { return }
            stepIndex += 1
            // After the first epoch, record allocations per step.
            let allocated = allocations.sinceLast()
            if stepIndex > steps { stepAllocations.append(allocated) }
            if end.batch == end.batchesPerEpoch - 1 {
                rssPerEpoch.append(residentMiB())
                _ = allocations.sinceLast()  // the sampling's own allocations
            }
        }]
        try run.fit()
        let test = try run.test()
        let state = run.trainer.state
        let sizes = Self.layerSizes(run)
        let limit = GemmShapes.stepSeconds(batch: batch, layers: sizes, seconds: gemmSeconds, pinned: threads)
        let msPerStep = 1000 * state.trainSeconds / Double(state.step)
        let limitSamples = Double(batch) / limit.total
        // Full batches dominate; the limit is for a full batch, the measured figure averages all steps.
        let fraction = limit.total * 1000 / msPerStep
        let perStep = stepAllocations.isEmpty || !allocations.available ? nil
            : Double(stepAllocations.dropFirst().reduce(0, +)) / Double(max(stepAllocations.count - 1, 1))
        let median = perStep == nil ? nil : stepAllocations.dropFirst().sorted()[(stepAllocations.count - 1) / 2]
        if json {
            var fields = [
                "\"batch\": \(batch)", "\"epochs\": \(epochs)", "\"steps\": \(state.step)",
                "\"samples_per_second\": \(fmt(state.samplesPerSecond, 1))", "\"ms_per_step\": \(fmt(msPerStep, 4))",
                "\"gemm_bound_ms_per_step\": \(fmt(limit.total * 1000, 4))",
                "\"gemm_bound_samples_per_second\": \(fmt(limitSamples, 1))",
                "\"fraction_of_gemm_bound\": \(fmt(fraction, 4))", "\"test_accuracy\": \(fmt(test.accuracy, 4))",
                "\"blas_threads\": \"\(threads.map(String.init) ?? "auto")\"",
            ]
            if let perStep { fields.append("\"allocations_per_step\": \(fmt(perStep, 2))") }
            if let median { fields.append("\"allocations_per_step_median\": \(median)") }
            fields.append("\"rss_mib_per_epoch\": [" + rssPerEpoch.map { fmt($0, 1) }.joined(separator: ", ") + "]")
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("bench train: batch \(batch), \(epochs) epoch(s), \(state.step) steps, BLAS threads \(threads.map(String.init) ?? "auto per shape")")
            for row in limit.rows {
                print("  gemm \(row.name.padding(toLength: 26, withPad: " ", startingAt: 0))"
                    + "\(fmt(row.seconds * 1e6, 1)) µs  \(fmt(row.gflops, 1)) GFLOP/s"
                    + (row.chosenThreads.map { "  (training ran it on \($0) thread\($0 == 1 ? "" : "s"))" } ?? ""))
            }
            print("  samples/s \(fmt(state.samplesPerSecond, 0))   ms/step \(fmt(msPerStep, 3))")
            print("  GEMM-bound: \(fmt(limit.total * 1000, 3)) ms/step = \(fmt(limitSamples, 0)) samples/s;"
                + " measured reaches \(fmt(100 * fraction, 1))% of it")
            if let perStep, let median {
                print("  heap allocations per step after epoch 1: mean \(fmt(perStep, 2)), median \(median)")
            }
            print("  RSS per epoch (MiB): " + rssPerEpoch.map { fmt($0, 1) }.joined(separator: " "))
            print("  test accuracy \(fmt(test.accuracy, 4))")
        }
    }

    /// `(in, out)` of each `Linear` in the model, first layer first.
    static func layerSizes(_ run: TrainingRun) -> [(Int, Int)] {
        run.model.layers.compactMap { $0 as? Linear }.map { ($0.inFeatures, $0.outFeatures) }
    }
}

func fmt(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// This process's resident set size in MiB (`VmRSS` from /proc/self/status; 0 elsewhere).
func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kib / 1024
}

extension GemmShapes {
    /// One GEMM of a training step, timed.
    struct StepGemm {
        var name: String
        var seconds: Double
        var gflops: Double
        /// The thread count the per-shape choice settled on during training (nil: pinned or undecided).
        var chosenThreads: Int?
    }

    /// The GEMMs of one training step of a stack of `Linear` layers `(in, out)`
    /// at `batch`: per layer forward `x·Wᵀ`, weight gradient `gᵀ·x`, and input
    /// gradient `g·W` for all but the first layer. Returns each, best-of timed,
    /// and their total seconds (the GEMM-bound step time).
    static func stepSeconds(batch: Int, layers: [(Int, Int)], seconds: Double, pinned: Int? = nil) -> (rows: [StepGemm], total: Double) {
        var rows: [StepGemm] = []
        for (index, (inputs, outputs)) in layers.enumerated() {
            var gemms = [("fwd", batch, inputs, outputs, false, true), ("dW", outputs, batch, inputs, true, false)]
            if index > 0 { gemms.append(("dX", batch, outputs, inputs, false, false)) }
            for (kind, m, k, n, ta, tb) in gemms {
                let chosen = BLAS.chosenThreads(for: .init(m: m, n: n, k: k, transposeA: ta, transposeB: tb))
                let t = time(m: m, k: k, n: n, transposeA: ta, transposeB: tb, seconds: seconds, pinned: pinned)
                rows.append(StepGemm(name: "L\(index + 1) \(kind) \(m)x\(k)x\(n)", seconds: t,
                                     gflops: 2 * Double(m * k * n) / t / 1e9, chosenThreads: chosen))
            }
        }
        return (rows, rows.reduce(0) { $0 + $1.seconds })
    }

    /// Best-of seconds for `op(a) · op(b)` → `[m, n]` with inner extent `k`, over
    /// one thread and all threads (the pinned count only, when `BLAS.setThreads` pinned one).
    static func time(m: Int, k: Int, n: Int, transposeA: Bool = false, transposeB: Bool = false,
                     seconds: Double, pinned: Int? = nil) -> Double {
        let counts = pinned.map { [$0] } ?? Array(Set([1, BLAS.maxThreads])).sorted()
        defer { if let pinned { BLAS.setThreads(pinned) } else { BLAS.automatic() } }
        return counts.map { threads in
            BLAS.setThreads(threads)
            return timePinned(m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB, seconds: seconds / Double(counts.count))
        }.min()!
    }

    static func timePinned(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool, seconds: Double) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = Tensor.uniform(transposeA ? [k, m] : [m, k], using: &rng)
        let b = Tensor.uniform(transposeB ? [n, k] : [k, n], using: &rng)
        var c = Tensor.zeros([m, n])
        Tensor.gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB)
        var best = Double.infinity
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            Tensor.gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        } while Date() < deadline
        return best
    }
}

/// Counts heap allocations when `bench/malloc_count.c` is preloaded
/// (`LD_PRELOAD=.build/malloc_count.so`); unavailable otherwise.
final class AllocationProbe {
    private typealias Counter = @convention(c) () -> UInt64
    private let counter: Counter?
    private var last: UInt64 = 0

    init() {
        let symbol = dlopen(nil, RTLD_NOW).flatMap { dlsym($0, "trainboard_malloc_count") }
        counter = symbol.map { unsafeBitCast($0, to: Counter.self) }
        last = counter?() ?? 0
    }

    /// Whether the counter library is loaded.
    var available: Bool { counter != nil }

    /// Allocations since the previous call (0 when unavailable).
    func sinceLast() -> Int {
        guard let counter else { return 0 }
        let now = counter()
        defer { last = counter() }
        return Int(now - last)
    }
}
