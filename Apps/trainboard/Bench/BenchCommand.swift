import ArgumentParser
import Foundation
import TensorCore

/// `trainboard bench …`: measured speed of the hot paths.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the hot kernels.",
        subcommands: [
            BenchGemm.self,
            BenchTrain.self,
            BenchKernels.self,
            BenchData.self,
            BenchLosses.self,
            BenchAllReduce.self,
            BenchDashboard.self,
            BenchCompare.self,
        ])
}

/// `trainboard bench gemm`: single-precision GEMM rate through OpenBLAS.
struct BenchGemm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm", abstract: "GFLOP/s of cblas_sgemm for square sizes and the MLP's first layer.")

    @Option(help: "Seconds to spend on each shape.") var seconds: Double = 0.5
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Option(help: "OpenBLAS threads (default: all, as numpy uses; training picks per shape).") var threads: Int?

    func run() throws {
        BLAS.withThreads(threads ?? BLAS.maxThreads) { report() }
    }

    /// Measures every shape and prints the rates, on the threads `run` chose.
    private func report() {
        var rows: [(String, Double)] = []
        for (m, k, n) in GemmShapes.all {
            rows.append(("\(m)x\(k)x\(n)", GemmShapes.measure(m: m, k: k, n: n, seconds: seconds)))
        }
        if json {
            let items = rows.map { "{\"shape\": \"\($0.0)\", \"gflops\": \(String(format: "%.2f", $0.1))}" }
            print("[" + items.joined(separator: ", ") + "]")
        } else {
            print("shape (m x k x n)   GFLOP/s   (threads: \(BLAS.threads))")
            for (name, rate) in rows { print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%7.2f", rate)) }
        }
    }
}

/// The GEMM shapes benchmarked here and in `bench/gemm_numpy.py`.
enum GemmShapes {
    static let all: [(Int, Int, Int)] = [128, 256, 512, 768, 1024].map { ($0, $0, $0) } + [(128, 784, 256)]

    /// Best-of GFLOP/s for `[m, k] · [k, n]`, repeated for about `seconds`.
    static func measure(m: Int, k: Int, n: Int, seconds: Double) -> Double {
        var rng = SeededGenerator(seed: 1)
        let a = Tensor.uniform([m, k], using: &rng), b = Tensor.uniform([k, n], using: &rng)
        var c = Tensor.zeros([m, n])
        Tensor.gemm(a, b, into: &c)
        var best = Double.infinity
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let start = DispatchTime.now().uptimeNanoseconds
            Tensor.gemm(a, b, into: &c)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        } while Date() < deadline
        return 2 * Double(m * k * n) / best / 1e9
    }
}
