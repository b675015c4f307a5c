import ArgumentParser
import Distributed
import Foundation

/// `trainboard bench allreduce`: the time of one in-place all-reduce of a flat
/// `Float` buffer against its size, run under `mpirun -np N`; `--check` also
/// verifies the sums and a broadcast (non-zero exit when a value is wrong).
struct BenchAllReduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allreduce",
        abstract: "Time an all-reduce of gradient-sized buffers (run under mpirun -np N).")

    @Option(parsing: .upToNextOption, help: "Buffer sizes in Float values.")
    var sizes: [Int] = [1_000, 10_000, 100_000, 235_146, 1_000_000, 4_000_000]
    @Option(help: "Repetitions per size (the median is reported).") var repeats = 20
    @Flag(help: "Verify every sum and a broadcast; exit 1 on a wrong value.") var check = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let world = try World.current(environment: ProcessInfo.processInfo.environment)
        defer { (world as? MPIWorld)?.finalize() }
        if check { try verify(world) }
        var rows: [(floats: Int, microseconds: Double)] = []
        for floats in sizes {
            var values = [Float](repeating: 1, count: floats), times: [Double] = []
            try world.barrier()
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                try world.allReduceSum(&values)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            }
            rows.append((floats, times.sorted()[times.count / 2]))
        }
        guard world.isRoot else { return }
        // Bus bandwidth as NCCL's tests define it for a ring: bytes × 2(n−1)/n per second.
        func busGBs(_ row: (floats: Int, microseconds: Double)) -> Double {
            Double(row.floats * 4) * 2 * Double(world.size - 1) / Double(world.size) / (row.microseconds * 1000)
        }
        if json {
            let items = rows.map { "{\"floats\": \($0.floats), \"bytes\": \($0.floats * 4), \"median_us\": \(String(format: "%.1f", $0.microseconds)), \"bus_gb_per_s\": \(String(format: "%.3f", busGBs($0)))}" }
            print("{\"world_size\": \(world.size), \"checked\": \(check), \"allreduce\": [" + items.joined(separator: ", ") + "]}")
        } else {
            print("all-reduce (sum, in place) over \(world.size) rank(s), median of \(repeats)")
            for row in rows {
                print(String(format: "%10d floats %9.1f KiB %10.1f µs %8.3f GB/s bus", row.floats, Double(row.floats) / 256,
                             row.microseconds, busGBs(row)))
            }
            if check { print("check: sums and broadcast correct on every rank") }
        }
    }

    /// Each rank contributes `(rank + 1) · (i mod 7)`; the sum is exact in Float for
    /// small jobs. Then rank 0's pattern is broadcast. Throws on the first wrong value.
    private func verify(_ world: any Communicator) throws {
        let n = 100_003, ranks = Float(world.size * (world.size + 1) / 2)
        var values = (0..<n).map { Float(world.rank + 1) * Float($0 % 7) }
        try world.allReduceSum(&values)
        if let i = values.indices.first(where: { values[$0] != ranks * Float($0 % 7) }) {
            throw ValidationError("rank \(world.rank): all-reduce value \(i) is \(values[i]), expected \(ranks * Float(i % 7))")
        }
        var pattern = (0..<n).map { world.isRoot ? Float($0) * 0.5 : 0 }
        try world.broadcast(&pattern, from: 0)
        if let i = pattern.indices.first(where: { pattern[$0] != Float($0) * 0.5 }) {
            throw ValidationError("rank \(world.rank): broadcast value \(i) is \(pattern[i]), expected \(Float(i) * 0.5)")
        }
    }
}
