#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with POSIX calls: one allocation, no per-byte work.
public enum BinaryFile {
    /// The bytes of the file at `path`, exactly as stored.
    public static func contents(of path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(file: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let n = read(fd, buffer.baseAddress! + initialized, size - initialized)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = n < 0 ? errno : 0; break }
                initialized += n
            }
        }
        guard bytes.count == size else {
            let reason = failure != 0 ? String(cString: strerror(failure)) : "file shrank while reading"
            throw .unreadable(file: path, reason: reason)
        }
        return bytes
    }

    /// The bytes of the file at `path`, gunzipped when its content is gzip.
    public static func decompressedContents(of path: String) throws(DataError) -> [UInt8] {
        let raw = try contents(of: path)
        return Gzip.isCompressed(raw) ? try Gzip.decompress(raw, file: path) : raw
    }
}
