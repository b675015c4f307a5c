import ArgumentParser
import Config
import Foundation
import NN
import Run
import TensorCore
import Training

/// `trainboard bench train`: a config's model (the reference MLP by default; the CNN
/// with `--config Config/fashion-mnist-cnn.yaml`) on Fashion-MNIST through the same
/// `TrainingRun`/`Trainer` path `fit` uses (checkpoints off), with the step's
/// GEMM-bound limit measured in the same run for the exact GEMM shapes.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput of a config's model vs the GEMM-bound limit of its step.",
        discussion: "The limit is the step's forward and backward GEMMs (the first layer needs no input "
            + "gradient), each timed alone in this run on one and on all threads, best of both; "
            + "overhead = 1 − limit / measured step time. Also shown like for like: medians, and the "
            + "step's GEMMs run back to back as training runs them.")

    @Option(help: "The run's YAML file.") var config = "Config/fashion-mnist-mlp.yaml"
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, e.g. data.limit_train=20000.", valueName: "key=value"))
    var overrides: [String] = []
    @Option(help: "Samples per batch.") var batch = 128
    @Option(help: "Epochs to train.") var epochs = 1
    @Option(help: "Seed (default: the config's).") var seed: Int?
    @Option(help: "Seconds of GEMM timing after each epoch (and on the step's GEMM chain at the end).") var gemmSeconds = 1.0
    @Option(help: "Pin OpenBLAS threads (default: chosen per GEMM shape by size).") var threads: Int?
    @Option(help: "Multiply-adds from which a GEMM uses all threads (default: BLAS.multithreadThreshold).")
    var multithreadThreshold: Int?
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let policy = BLAS.ThreadPolicy(pinned: threads, threshold: multithreadThreshold ?? BLAS.multithreadThreshold)
        try BLAS.withPolicy(policy) { try measure() }
    }

    /// The benchmark, with every GEMM under the chosen thread policy.
    private func measure() throws {
        let settings = ["data.batch_size=\(batch)", "trainer.max_epochs=\(epochs)",
                        "log_dir=\(NSTemporaryDirectory())trainboard-bench-train"] + (seed.map { ["seed=\($0)"] } ?? []) + overrides
        let config = try RunConfig.load(path: self.config, overrides: settings)
        let run = try TrainingRun(config: config)
        run.trainer.checkpointer = nil
        let allocations = AllocationProbe()
        var stepAllocations: [AllocationProbe.Delta] = []
        stepAllocations.reserveCapacity(epochs * 1024)
        var stepIndex = 0
        let steps = run.trainLoader.batchCount
        var rssPerEpoch: [Double] = []
        // Loop time per step, as torch_mlp.py times it: from one step's end to the next,
        // so batch assembly counts (the first step of an epoch, after validation, does not).
        let clock = ContinuousClock(), trainCount = run.trainLoader.dataset.count
        var lastEnd = clock.now, loopSeconds: [Double] = [], loopSamples = 0
        loopSeconds.reserveCapacity(epochs * steps)
        // The GEMM-bound limit is timed after each epoch, so each epoch's steps are
        // compared with GEMM times taken moments later (the machine's pace drifts).
        let gemms = StepGemms(batch: batch, model: run.model, sample: run.data.train.sampleShape)
        var rounds: [(steps: Range<Int>, timings: [StepGemms.Timing])] = []
        run.trainer.observers = [{ event in
            guard case .batchEnd = event else { return }
            let now = clock.now, position = stepIndex % steps   // the batch's place in its epoch, from 0
            if position > 0 {
                loopSeconds.append((now - lastEnd).seconds)
                loopSamples += position == steps - 1 ? trainCount - position * batch : batch
            }
            lastEnd = now
            stepIndex += 1
            // After the first epoch, record allocations per step; an epoch's first step
            // also carries the epoch boundary (validation, the new shuffle), so it is left out,
            // as it is from the loop times.
            let allocated = allocations.sinceLast()
            if stepIndex > steps && position > 0 { stepAllocations.append(allocated) }
            if position == steps - 1 {
                rssPerEpoch.append(residentMiB())
                rounds.append(((rounds.last?.steps.upperBound ?? 0)..<loopSeconds.count,
                               gemms.isolated(seconds: gemmSeconds, pinned: threads)))
                _ = allocations.sinceLast()  // the sampling's and timing's own allocations
            }
        }]
        _ = try run.trainer.fit(train: run.trainLoader, validation: run.validationLoader)
        let test = try run.test()
        let state = run.trainer.state
        let chain = gemms.chain(seconds: gemmSeconds)
        let timings = rounds.last!.timings
        let loopTotal = loopSeconds.reduce(0, +)
        let samplesPerSecond = Double(loopSamples) / loopTotal
        let msPerStep = 1000 * loopTotal / Double(loopSeconds.count)
        let medianMs = 1000 * Self.median(loopSeconds[...])
        // Per epoch: the limit (sum of each GEMM's best, or median, time alone) over that
        // epoch's mean and median step. Full batches dominate; the limit is for a full batch.
        let perEpoch = rounds.map { round in
            let steps = loopSeconds[round.steps], best = round.timings.reduce(0) { $0 + $1.stepBest }
            return (limit: best, medianLimit: round.timings.reduce(0) { $0 + $1.stepMedian },
                    mean: steps.reduce(0, +) / Double(max(steps.count, 1)), median: Self.median(steps))
        }
        let limit = Self.median(perEpoch.map(\.limit)[...]), medianLimit = Self.median(perEpoch.map(\.medianLimit)[...])
        let limitSamples = Double(batch) / limit
        let fraction = Self.median(perEpoch.map { $0.limit / $0.mean }[...])
        let medianFraction = Self.median(perEpoch.map { $0.limit / $0.median }[...])
        let likeForLike = Self.median(perEpoch.map { $0.medianLimit / $0.median }[...])
        let chainFraction = chain.median * 1000 / medianMs
        let measured = allocations.available ? stepAllocations : []
        func mean(_ value: (AllocationProbe.Delta) -> Int) -> Double {
            Double(measured.reduce(0) { $0 + value($1) }) / Double(max(measured.count, 1))
        }
        let perStep = measured.isEmpty ? nil : (calls: mean(\.calls), large: mean(\.large), kib: mean(\.bytes) / 1024,
                                                median: measured.map(\.calls).sorted()[measured.count / 2])
        if json {
            var fields = [
                "\"batch\": \(batch)", "\"epochs\": \(epochs)", "\"steps\": \(state.step)",
                "\"samples_per_second\": \(fmt(samplesPerSecond, 1))", "\"ms_per_step\": \(fmt(msPerStep, 4))",
                "\"median_ms_per_step\": \(fmt(medianMs, 4))", "\"trainer_step_samples_per_second\": \(fmt(state.samplesPerSecond, 1))",
                "\"fraction_of_gemm_bound_at_median\": \(fmt(medianFraction, 4))",
                "\"gemm_bound_ms_per_step\": \(fmt(limit * 1000, 4))",
                "\"gemm_bound_median_ms_per_step\": \(fmt(medianLimit * 1000, 4))",
                "\"gemm_chain_median_ms_per_step\": \(fmt(chain.median * 1000, 4))",
                "\"fraction_of_median_gemm_bound_at_median\": \(fmt(likeForLike, 4))",
                "\"fraction_of_gemm_chain_at_median\": \(fmt(chainFraction, 4))",
                "\"gemm_bound_samples_per_second\": \(fmt(limitSamples, 1))",
                "\"fraction_of_gemm_bound\": \(fmt(fraction, 4))", "\"test_accuracy\": \(fmt(test.accuracy, 4))",
                "\"blas_threads\": \"\(threads.map(String.init) ?? "auto")\"",
                "\"step_plan\": \(run.trainer.stepPlan != nil)",
            ]
            if let perStep {
                fields += ["\"allocations_per_step\": \(fmt(perStep.calls, 2))", "\"allocations_per_step_median\": \(perStep.median)",
                           "\"large_allocations_per_step\": \(fmt(perStep.large, 2))", "\"allocated_kib_per_step\": \(fmt(perStep.kib, 1))"]
            }
            fields.append("\"rss_mib_per_epoch\": [" + rssPerEpoch.map { fmt($0, 1) }.joined(separator: ", ") + "]")
            print("{" + fields.joined(separator: ", ") + "}")
        } else {
            print("bench train: batch \(batch), \(epochs) epoch(s), \(state.step) steps, BLAS threads \(threads.map(String.init) ?? "by shape"), "
                + (run.trainer.stepPlan != nil ? "step plan (buffers, no graph)" : "graph"))
            for row in timings {
                print("  gemm \(row.gemm.name.padding(toLength: 26, withPad: " ", startingAt: 0))"
                    + "best \(fmt(row.best * 1e6, 1)) µs  median \(fmt(row.median * 1e6, 1)) µs  \(fmt(row.gflops, 1)) GFLOP/s"
                    + "  (training runs it on \(row.gemm.chosenThreads) thread\(row.gemm.chosenThreads == 1 ? "" : "s"))")
            }
            print("  samples/s \(fmt(samplesPerSecond, 0))   ms/step \(fmt(msPerStep, 3)) (median \(fmt(medianMs, 3)))"
                + "   [Trainer's own figure, step() only: \(fmt(state.samplesPerSecond, 0)) samples/s]")
            print("  GEMM-bound (each GEMM's best time, alone): \(fmt(limit * 1000, 3)) ms/step = \(fmt(limitSamples, 0)) samples/s;"
                + " measured reaches \(fmt(100 * fraction, 1))% of it (\(fmt(100 * medianFraction, 1))% at the median step)")
            print("  per epoch, limit / mean step: " + perEpoch.map { fmt(100 * $0.limit / $0.mean, 1) + "%" }.joined(separator: " ")
                + "  (limit " + perEpoch.map { fmt($0.limit * 1000, 3) }.joined(separator: " ") + " ms)")
            print("  like for like, medians: GEMMs alone \(fmt(medianLimit * 1000, 3)) ms = \(fmt(100 * likeForLike, 1))% of the median step;"
                + " the step's GEMMs back to back \(fmt(chain.median * 1000, 3)) ms = \(fmt(100 * chainFraction, 1))%")
            if let perStep {
                print("  heap allocations per step after epoch 1: mean \(fmt(perStep.calls, 2)), median \(perStep.median);"
                    + " ≥ 64 KiB: \(fmt(perStep.large, 2)); \(fmt(perStep.kib, 1)) KiB requested")
            }
            print("  RSS per epoch (MiB): " + rssPerEpoch.map { fmt($0, 1) }.joined(separator: " "))
            print("  test accuracy \(fmt(test.accuracy, 4))")
        }
    }

    /// The middle value (upper middle for an even count).
    static func median(_ values: ArraySlice<Double>) -> Double {
        values.isEmpty ? .nan : values.sorted()[values.count / 2]
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

/// Counts heap allocations when `bench/malloc_count.c` is preloaded
/// (`LD_PRELOAD=.build/malloc_count.so`); unavailable otherwise.
final class AllocationProbe {
    private typealias Counter = @convention(c) () -> UInt64
    private let calls: Counter?, largeCalls: Counter?, requested: Counter?
    private var last = Delta()

    /// One step's figures: calls, calls of 64 KiB or more, bytes.
    struct Delta {
        var calls = 0, large = 0, bytes = 0
    }

    init() {
        let handle = dlopen(nil, RTLD_NOW)
        func counter(_ name: String) -> Counter? {
            handle.flatMap { dlsym($0, name) }.map { unsafeBitCast($0, to: Counter.self) }
        }
        calls = counter("trainboard_malloc_count")
        largeCalls = counter("trainboard_malloc_large_count")
        requested = counter("trainboard_malloc_bytes")
        last = totals()
    }

    /// Whether the counter library is loaded.
    var available: Bool { calls != nil && largeCalls != nil && requested != nil }

    /// The counters now (reading them allocates nothing, so the probe never counts itself).
    private func totals() -> Delta {
        guard available else { return Delta() }
        return Delta(calls: Int(calls!()), large: Int(largeCalls!()), bytes: Int(requested!()))
    }

    /// Allocations since the previous call (zero when unavailable).
    func sinceLast() -> Delta {
        let now = totals()
        defer { last = now }
        return Delta(calls: now.calls - last.calls, large: now.large - last.large, bytes: now.bytes - last.bytes)
    }
}
