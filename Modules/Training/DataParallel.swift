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
/// Rank r's gradient is weighted by its rows `n_r` and the sum divided by the
/// global rows `n`: `g = Σ_r n_r·g_r / n`, the gradient of a loss that averages
/// over the global batch (the default `reduction: mean`), also when the shards
/// differ by a sample. (A `sum`-reduced loss gets the mean over ranks, as with DDP.)
/// The same reduction carries the step's loss, correct predictions and a stop flag,
/// so every rank sees the global figures and stops at the same step.
///
/// `Trainer` uses it when ``Trainer/dataParallel`` is set: weights are broadcast from
/// rank 0 when `fit` starts, evaluation metrics are merged over ranks (counts and
/// sums, not averages of averages), and at each validation the ranks check that
/// their weights agree.
public final class DataParallel {
    public let communicator: any Communicator
    /// Seconds spent in the last step's all-reduce, and in all of them so far.
    public private(set) var lastReduceSeconds = 0.0, reduceSeconds = 0.0
    /// The flat buffer: every gradient, then the step's figures (allocated once).
    private var flat: [Float] = []

    public init(_ communicator: any Communicator) { self.communicator = communicator }

    /// What one step's reduction returns, the same on every rank.
    public struct StepFigures: Equatable {
        /// The global batch's mean loss, its rows and its correct predictions.
        public var loss: Double
        public var rows: Int
        public var correct: Int
        /// Whether some rank asked to stop.
        public var stop: Bool
    }

    /// Copies rank 0's parameter values into every rank's.
    public func broadcastWeights(_ parameters: [Parameter]) throws {
        for parameter in parameters {
            try parameter.variable.value.withUnsafeMutableBufferPointer { values in
                try communicator.broadcast(UnsafeMutableRawBufferPointer(values), from: 0)
            }
        }
    }

    /// Replaces every parameter's gradient by the global batch's (see the type's
    /// description); `loss` is this rank's mean loss over its `rows`.
    public func reduceStep(_ parameters: [Parameter], loss: Double, rows: Int, correct: Int,
                           stopRequested: Bool) throws -> StepFigures {
        let total = parameters.reduce(0) { $0 + $1.value.count }
        if flat.count != total + 4 { flat = [Float](repeating: 0, count: total + 4) }
        let weight = Float(rows)
        try flat.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            for parameter in parameters {
                let count = parameter.value.count
                if rows > 0, let grad = parameter.variable.grad {
                    grad.withUnsafeBufferPointer { g in for i in 0..<count { buffer[offset + i] = g[i] * weight } }
                } else {
                    buffer.baseAddress!.advanced(by: offset).update(repeating: 0, count: count)
                }
                offset += count
            }
            buffer[total] = rows > 0 ? Float(loss) * weight : 0
            buffer[total + 1] = weight
            buffer[total + 2] = Float(correct)
            buffer[total + 3] = stopRequested ? 1 : 0
            let start = DispatchTime.now().uptimeNanoseconds
            try communicator.allReduceSum(buffer)
            lastReduceSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            reduceSeconds += lastReduceSeconds
            let globalRows = buffer[total + 1], scale = globalRows > 0 ? 1 / globalRows : 0
            offset = 0
            for parameter in parameters {
                let count = parameter.value.count
                parameter.variable.overwritingGradient { g in for i in 0..<count { g[i] = buffer[offset + i] * scale } }
                offset += count
            }
        }
        let globalRows = Double(flat[total + 1])
        return StepFigures(loss: globalRows > 0 ? Double(flat[total]) / globalRows : 0, rows: Int(globalRows),
                           correct: Int(flat[total + 2]), stop: flat[total + 3] > 0)
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
