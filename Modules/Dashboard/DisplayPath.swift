import Foundation

/// File paths as the dashboard shows them: relative to the working directory, so a screen
/// (or a screenshot of it) shows `runs/iris/checkpoints/last.safetensors`, not the absolute
/// path of the machine that made it, and shortened in the middle to fit a panel.
public enum DisplayPath {
    /// The process's working directory, read once (the dashboard's paths are relative to it).
    public static let workingDirectory = FileManager.default.currentDirectoryPath

    /// `path` relative to `directory` when it lies inside it (`runs/a.bin` for `/w/runs/a.bin`
    /// seen from `/w`, `.` for `directory` itself); any other path unchanged. Pure: `.` and
    /// `..` components and repeated or trailing slashes are resolved as text, no file system
    /// is read.
    public static func relative(_ path: String, to directory: String) -> String {
        guard path.hasPrefix("/"), directory.hasPrefix("/") else { return path }
        let (target, base) = (components(path), components(directory))
        guard target.count >= base.count, Array(target.prefix(base.count)) == base else { return path }
        let rest = target.dropFirst(base.count)
        return rest.isEmpty ? "." : rest.joined(separator: "/")
    }

    /// `path` in at most `width` characters: unchanged when it fits, else its start, `…` and
    /// its last component (the file name) when at least four characters of the start fit,
    /// else `…` and its end.
    public static func fitted(_ path: String, width: Int) -> String {
        guard path.count > width else { return path }
        guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
        if let slash = path.lastIndex(of: "/") {
            let name = path[slash...]
            let head = width - 1 - name.count
            if head >= 4 { return path.prefix(head) + "…" + name }
        }
        return "…" + path.suffix(width - 1)
    }

    /// The components of an absolute path with `.`, `..` and empty ones resolved.
    private static func components(_ path: String) -> [Substring] {
        var result: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { _ = result.popLast() } else { result.append(part) }
        }
        return result
    }
}
