#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loading user losses from a dynamic library at run time.
///
/// A plugin is a Swift dynamic library built against `Losses` that exports
///
/// ```swift
/// @_cdecl("trainboard_register_losses")
/// public func registerLosses(_ registry: UnsafeMutableRawPointer) -> Int32 {
///     LossRegistry.withPluginRegistry(registry) { registry in
///         try registry.register(name: "my_loss", factory: { x, t, o in … })
///     }
/// }
/// ```
///
/// The host passes an opaque pointer to a `PluginRegistrar`; the plugin adds
/// its losses through it. Names that clash with a built-in are rejected.
extension LossRegistry {
    /// The `@_cdecl` entry point every plugin exports.
    public static let pluginEntryPoint = "trainboard_register_losses"

    /// Loads the plugin library at `path` and registers its losses.
    /// - Throws: `LossError.plugin` for a missing file, a `dlopen` failure (with
    ///   the `dlerror` text), a missing entry symbol, a failing entry point, or a
    ///   name that clashes with a built-in or an already registered loss.
    public mutating func loadPlugin(path named: String) throws(LossError) {
        let path = PluginPath.resolve(named)   // exactly the file named: never a dlopen search path
        guard access(path, F_OK) == 0 else { throw .plugin(path: path, reason: "no such file") }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw .plugin(path: path, reason: "dlopen failed: " + (dlerror().map { String(cString: $0) } ?? "unknown error"))
        }
        guard let symbol = dlsym(handle, LossRegistry.pluginEntryPoint) else {
            dlclose(handle)
            throw .plugin(path: path, reason: "missing entry symbol '\(LossRegistry.pluginEntryPoint)'")
        }
        typealias Entry = @convention(c) (UnsafeMutableRawPointer) -> Int32
        let entry = unsafeBitCast(symbol, to: Entry.self)
        var registrar = PluginRegistrar(registry: LossRegistry())
        let status = withUnsafeMutablePointer(to: &registrar) { entry(UnsafeMutableRawPointer($0)) }
        if let error = registrar.error { throw .plugin(path: path, reason: error.description) }
        guard status == 0 else { throw .plugin(path: path, reason: "entry point returned \(status)") }
        // The library stays loaded: its code backs the registered closures.
        for name in registrar.registry.names {
            guard let spec = registrar.registry.spec(named: name) else { continue }
            if builtInNames.contains(name) {
                throw .plugin(path: path, reason: "loss '\(name)' clashes with a built-in loss")
            }
            do throws(LossError) { try register(spec) } catch {
                throw .plugin(path: path, reason: error.description)
            }
        }
    }

    /// For a plugin's entry point: runs `body` on the registry behind the
    /// opaque pointer the host passed, recording any error for the host.
    /// Returns the status the entry point should return (0 on success).
    public static func withPluginRegistry(_ pointer: UnsafeMutableRawPointer,
                                          _ body: (inout LossRegistry) throws(LossError) -> Void) -> Int32 {
        let registrar = pointer.assumingMemoryBound(to: PluginRegistrar.self)
        do throws(LossError) { try body(&registrar.pointee.registry) } catch {
            registrar.pointee.error = error
            return 1
        }
        return 0
    }
}

/// What the host lends a plugin's entry point: a scratch registry to fill and
/// a slot for the first error.
public struct PluginRegistrar {
    var registry: LossRegistry
    var error: LossError?
}
