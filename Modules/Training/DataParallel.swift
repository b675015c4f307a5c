import Distributed
import Foundation
import Metrics
import NN

/// Data-parallel training over the ranks of a job, as PyTorch's
/// `DistributedDataParallel` does it: every rank holds the whole model and takes
/// its shard of each global batch (`DataLoader.shard`); after backward the
/// gradients of every parameter travel in one flat buffer, all-reduced once per
/// step, so every rank applies the same update and the weights stay equal.
///
/// Each rank adds its gradients to a ``GradientSum`` weighted by its rows `n_r`;
/// the all-reduced sum divided by the global rows `n` is `g = Σ_r n_r·g_r / n`, the
/// gradient of a loss that averages over the global batch (the default
/// `reduction: mean`), also when the shards differ by a sample. (A `sum`-reduced
/// loss gets the mean over ranks, as with DDP.) The same buffer carries the step's
/// loss, correct predictions and a stop flag, so every rank sees the global figures
/// and stops at the same step.
///
/// `Trainer` uses it when ``Trainer/dataParallel`` is set: weights are broadcast from
/// rank 0 when `fit` starts, evaluation metrics are merged over ranks (counts and
/// sums, not averages of averages), and at each validation the ranks check that
/// their weights agree.
public final class DataParallel {
    public let communicator: any Communicator
    /// Seconds spent in the last step's all-reduce, and in all of them so far.
    public private(set) var lastReduceSeconds = 0.0, reduceSeconds = 0.0

    public init(_ communicator: any Communicator) { self.communicator = communicator }

    /// Copies rank 0's parameter values into every rank's.
    public func broadcastWeights(_ parameters: [Parameter]) throws {
        for parameter in parameters {
            try parameter.variable.value.withUnsafeMutableBufferPointer { values in
                try communicator.broadcast(UnsafeMutableRawBufferPointer(values), from: 0)
            }
        }
    }

    /// Sums `sum` over the ranks, in place: afterwards every rank holds the global
    /// batch's weighted gradients, loss, rows, correct predictions and stop flag.
    public func allReduce(_ sum: GradientSum) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try communicator.allReduceSum(&sum.values)
        lastReduceSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        reduceSeconds += lastReduceSeconds
    }

    /// Every rank's `accumulation`, merged in rank order by `merge`.
    func merged<T: Codable>(_ accumulation: T, _ merge: (inout T, T) -> Void) throws -> T {
        let parts = try communicator.allGather(Array(try JSONEncoder().encode(accumulation)))
        var result = try JSONDecoder().decode(T.self, from: Data(parts[0]))
        for part in parts.dropFirst() { merge(&result, try JSONDecoder().decode(T.self, from: Data(part))) }
        return result
    }

    /// Throws unless every rank's weights equal rank 0's, bit for bit (a checksum of
    /// each parameter's bits, compared on every rank).
    public func checkWeightsAgree(_ parameters: [Parameter]) throws {
        var sums = parameters.map { p in p.value.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } } }
        let own = sums
        try communicator.broadcast(&sums, from: 0)
        var differing = [Double](repeating: 0, count: communicator.size)
        differing[communicator.rank] = own == sums ? 0 : 1
        try communicator.allReduceSum(&differing)
        let ranks = differing.indices.filter { differing[$0] > 0 }
        guard ranks.isEmpty else { throw DataParallelError.weightsDiverged(ranks: ranks) }
    }
}

/// A data-parallel job that cannot go on; one line each.
public enum DataParallelError: Error, Equatable, CustomStringConvertible {
    case weightsDiverged(ranks: [Int])

    public var description: String {
        switch self {
        case .weightsDiverged(let ranks):
            "the weights of rank\(ranks.count == 1 ? "" : "s") \(ranks.map(String.init).joined(separator: ", ")) "
                + "differ from rank 0's: the ranks no longer train one model (was the job started with different configs?)"
        }
    }
}
