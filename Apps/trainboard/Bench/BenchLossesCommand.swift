import ArgumentParser
import Autograd
import Dispatch
import Losses
import TensorCore

/// `trainboard bench losses`: forward + backward time of the hot losses, the
/// same workloads as `bench/losses_torch.py`.
struct BenchLosses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "losses", abstract: "ms per forward+backward of cross_entropy (4096×1000) and bce_with_logits (4M).")

    @Option(help: "Timed iterations per loss (best is reported).") var iterations = 20

    func run() throws {
        var rng = SeededGenerator(seed: 7)
        let logits = Tensor.uniform([4096, 1000], low: -4, high: 4, using: &rng)
        let labels = IndexTensor((0..<4096).map { ($0 * 7919) % 1000 })
        let x = Tensor.uniform([4_194_304], low: -6, high: 6, using: &rng)
        let y = Tensor.uniform([4_194_304], using: &rng).map { $0 > 0.5 ? 1 : 0 }
        let ce = try measure {
            let v = Variable(logits, requiresGrad: true)
            try crossEntropyLoss(v, .classes(labels)).backward()
            return v.grad!.count
        }
        let bce = try measure {
            let v = Variable(x, requiresGrad: true)
            try bceWithLogitsLoss(v, y).backward()
            return v.grad!.count
        }
        print(String(format: "cross_entropy (4096, 1000) fwd+bwd: %.2f ms", ce))
        print(String(format: "bce_with_logits (4194304) fwd+bwd: %.2f ms", bce))
    }

    /// Best wall time in ms over `iterations` runs (after one warm-up).
    func measure(_ body: () throws -> Int) throws -> Double {
        _ = try body()
        var best = Double.infinity
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }
}
