import CMPI
#if canImport(Glibc)
import Glibc
#endif

/// The job `mpirun` started this process in, through Open MPI.
///
/// ```swift
/// let world = try World.current()        // MPIWorld under mpirun, else SingleProcess
/// try world.allReduceSum(&gradients)     // every rank now holds the sum
/// ```
/// MPI is started once per process (`MPI_Init_thread`, one thread at a time making the calls)
/// and finished by ``finalize()``; errors return codes (`MPI_ERRORS_RETURN`) that
/// become ``DistributedError``s rather than ending the job. Counts beyond `Int32`
/// go in several calls.
public final class MPIWorld: Communicator {
    public let rank: Int
    public let size: Int

    /// Starts MPI (once; a second `MPIWorld` in the process reuses it).
    public init() throws(DistributedError) {
        if tb_mpi_initialized() == 0 { try Self.check(tb_mpi_init(), "init") }
        var rank: Int32 = 0, size: Int32 = 0
        try Self.check(tb_mpi_rank(&rank), "comm_rank")
        try Self.check(tb_mpi_size(&size), "comm_size")
        (self.rank, self.size) = (Int(rank), Int(size))
    }

    /// Whether `environment` is that of a process `mpirun` started (Open MPI's
    /// `OMPI_COMM_WORLD_SIZE`, or PMI/PMIx variables of other launchers).
    public static func isLaunched(environment: [String: String]) -> Bool {
        launchedSize(environment: environment) != nil
    }

    /// The job size the launcher announced, if any.
    static func launchedSize(environment: [String: String]) -> Int? {
        for key in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"] {
            if let value = environment[key], let size = Int(value), size > 0 { return size }
        }
        return environment["PMIX_RANK"] != nil ? 1 : nil
    }

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws(DistributedError) {
        try Self.chunked(values.count) { (start, count) throws(DistributedError) in
            try Self.check(tb_mpi_allreduce_sum_float(values.baseAddress! + start, count), "allreduce")
        }
    }

    public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws(DistributedError) {
        try Self.chunked(values.count) { (start, count) throws(DistributedError) in
            try Self.check(tb_mpi_allreduce_sum_double(values.baseAddress! + start, count), "allreduce")
        }
    }

    public func broadcast(_ bytes: UnsafeMutableRawBufferPointer, from root: Int) throws(DistributedError) {
        guard (0..<size).contains(root) else { throw .badRoot(root, size: size) }
        try Self.chunked(bytes.count) { (start, count) throws(DistributedError) in
            try Self.check(tb_mpi_broadcast_bytes(bytes.baseAddress! + start, count, Int32(root)), "broadcast")
        }
    }

    public func barrier() throws(DistributedError) { try Self.check(tb_mpi_barrier(), "barrier") }

    public func abort(code: Int32) -> Never {
        _ = tb_mpi_abort(code)
        exit(code)   // MPI_Abort does not return; this satisfies the compiler
    }

    /// Ends MPI for this process (after the last collective; idempotent).
    public func finalize() {
        if tb_mpi_initialized() != 0 && tb_mpi_finalized() == 0 { _ = tb_mpi_finalize() }
    }

    /// Runs `body` over `0..<count` in pieces MPI's `int` counts can hold.
    private static func chunked(_ count: Int, _ body: (Int, Int32) throws(DistributedError) -> Void) throws(DistributedError) {
        let piece = Int(Int32.max / 2)
        var start = 0
        while start < count {
            let n = min(piece, count - start)
            try body(start, Int32(n))
            start += n
        }
    }

    private static func check(_ code: Int32, _ operation: String) throws(DistributedError) {
        guard code != 0 else { return }
        var text = [CChar](repeating: 0, count: 512)
        tb_mpi_error_string(code, &text, Int32(text.count))
        throw .mpi(operation: operation, code: code, text: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}

/// The job this process belongs to.
public enum World {
    /// ``MPIWorld`` when `mpirun` started the process (checked in `environment`),
    /// else ``SingleProcess``: a plain `trainboard fit` never starts MPI.
    public static func current(environment: [String: String]) throws(DistributedError) -> any Communicator {
        guard let expected = MPIWorld.launchedSize(environment: environment) else { return SingleProcess() }
        let world = try MPIWorld()
        guard world.size == expected else { throw .worldMismatch(expected: expected, found: world.size) }
        return world
    }

    /// The threads each rank should use when the user chose none (`OPENBLAS_NUM_THREADS`
    /// unset): the `cores` this process may run on, shared by the ranks mpirun started on this
    /// host (`OMPI_COMM_WORLD_LOCAL_SIZE`), at least 1. Nil when there is nothing to share: one
    /// rank here, no MPI, or a count set by the user (`mpirun -x OPENBLAS_NUM_THREADS=T`).
    public static func threadsPerRank(environment: [String: String], cores: Int) -> Int? {
        guard environment["OPENBLAS_NUM_THREADS"] == nil,
              let local = environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap({ Int($0) }), local > 1 else { return nil }
        return Swift.max(1, cores / local)
    }
}
