/// Why a collective or the MPI world failed; each message is one line.
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    /// MPI returned `code` from `operation`; `text` is MPI's own explanation.
    case mpi(operation: String, code: Int32, text: String)
    /// A broadcast named a root outside `0..<size`.
    case badRoot(Int, size: Int)
    /// The launcher's environment says the job has this shape, but MPI disagrees
    /// (e.g. a process started by another MPI's `mpirun`).
    case worldMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .mpi(let operation, let code, let text):
            return "MPI \(operation) failed (error \(code)): \(text)"
        case .badRoot(let root, let size):
            return "broadcast root \(root) is not a rank of a job of \(size) (expected 0..<\(size))"
        case .worldMismatch(let expected, let found):
            return "the launcher says the job has \(expected) ranks but MPI reports \(found): "
                + "start trainboard with Open MPI's mpirun (Debian's openmpi-bin)"
        }
    }
}
