/// The ranks of one data-parallel job and the collective operations they share.
///
/// Every rank calls the same collectives in the same order (MPI's rule); a
/// collective returns once every rank has reached it. Rank 0 is the root: it
/// writes the run's files and its weights start the run.
///
/// Two implementations: ``MPIWorld`` when the process was started by `mpirun`,
/// and ``SingleProcess`` otherwise, whose collectives leave the values as they are.
public protocol Communicator: AnyObject {
    /// This process's place in the job, `0..<size`.
    var rank: Int { get }
    /// How many processes the job has.
    var size: Int { get }
    /// Replaces each value by its sum over every rank, in place.
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws(DistributedError)
    /// Replaces each value by its sum over every rank, in place (exact counts and sums of metrics).
    func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws(DistributedError)
    /// Copies `root`'s bytes into every other rank's `bytes` (same count on every rank).
    func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws(DistributedError)
    /// Returns once every rank has called it.
    func barrier() throws(DistributedError)
    /// Ends every rank of the job with exit status `code` (after a failure one rank cannot recover from).
    func abort(code: Int32) -> Never
}

extension Communicator {
    /// Whether this rank is rank 0, the one that writes files and draws the dashboard.
    public var isRoot: Bool { rank == 0 }

    /// Sums `values` over every rank, in place.
    public func allReduceSum(_ values: inout [Float]) throws(DistributedError) {
        try values.withUnsafeMutableBufferPointer { (p) throws(DistributedError) in try allReduceSum(p) }
    }

    /// Sums `values` over every rank, in place.
    public func allReduceSum(_ values: inout [Double]) throws(DistributedError) {
        try values.withUnsafeMutableBufferPointer { (p) throws(DistributedError) in try allReduceSum(p) }
    }

    /// Copies `root`'s `values` to every rank; every rank must pass the same count.
    public func broadcast<T: BitwiseCopyable>(_ values: inout [T], from root: Int = 0) throws(DistributedError) {
        try values.withUnsafeMutableBufferPointer { (p) throws(DistributedError) in try broadcast(UnsafeMutableRawBufferPointer(p), from: root) }
    }

    /// Every rank's `bytes`, in rank order; the counts may differ between ranks
    /// (one sum of the counts, then one broadcast from each rank). For small, rare
    /// exchanges such as evaluation metrics, not per-step data.
    public func allGather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] {
        var counts = [Double](repeating: 0, count: size)
        counts[rank] = Double(bytes.count)
        try allReduceSum(&counts)
        var parts: [[UInt8]] = []
        for r in 0..<size {
            var part = r == rank ? bytes : [UInt8](repeating: 0, count: Int(counts[r]))
            try broadcast(&part, from: r)
            parts.append(part)
        }
        return parts
    }

    /// `root`'s value, on every rank.
    public func broadcast<T: BitwiseCopyable>(_ value: T, from root: Int = 0) throws(DistributedError) -> T {
        var copy = [value]
        try broadcast(&copy, from: root)
        return copy[0]
    }
}

/// A job of one process: rank 0 of 1. Sums and broadcasts leave the values as
/// they are, so code written for N ranks runs unchanged in a plain process.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws(DistributedError) {}
    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws(DistributedError) {}
    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws(DistributedError) {
        guard root == 0 else { throw .badRoot(root, size: 1) }
    }
    public func barrier() throws(DistributedError) {}
    public func abort(code: Int32) -> Never { exit(code) }
}

#if canImport(Glibc)
import Glibc
#endif
