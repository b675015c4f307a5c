import Foundation

/// Where a loss plugin named in a config (`loss.plugins`) or on the command line
/// (`--plugin`) is loaded from: exactly the file named, never a search path.
///
/// `dlopen` searches `LD_LIBRARY_PATH`, the run path and the system library
/// directories for a name without a slash, so `plugins: [libmyloss.so]` could
/// load a different library than the `libmyloss.so` the user sees. Plugin
/// paths are therefore made absolute first: a relative path is resolved
/// against the current directory, like every other path in a config
/// (`data.path`, `model.init_from`, …), and `~` is not expanded.
public enum PluginPath {
    /// `path` as an absolute path (relative ones against `directory`, by default the current directory).
    public static func resolve(_ path: String,
                               against directory: String = FileManager.default.currentDirectoryPath) -> String {
        if path.hasPrefix("/") { return path }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}
