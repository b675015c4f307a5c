import Foundation
import Losses
import Testing
@testable import Config
import NN
import Optim
import Training
import RunEvents

/// Loss plugins load only from the file the user named (issue 9).
@Suite("Loss plugin paths")
struct PluginPathTests {
    @Test func relativePathsResolveAgainstTheCurrentDirectoryNeverASearchPath() {
        #expect(PluginPath.resolve("libmy.so", against: "/work/run") == "/work/run/libmy.so")
        #expect(PluginPath.resolve("./plugins/libmy.so", against: "/work/run/") == "/work/run/plugins/libmy.so")
        #expect(PluginPath.resolve("/opt/libmy.so", against: "/work/run") == "/opt/libmy.so")
        #expect(PluginPath.resolve("libmy.so").hasPrefix(FileManager.default.currentDirectoryPath + "/"))
    }

    @Test func aLibraryOnlyOnTheSystemSearchPathIsNotLoaded() throws {
        // libz is on the loader's search path but not in the current directory:
        // `dlopen("libz.so.1")` alone would find it.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)").path
        var registry = LossRegistry.standard
        let error = try #require(throws: LossError.self) {
            try registry.loadPlugin(path: PluginPath.resolve("libz.so.1", against: directory))
        }
        #expect(error.description == "cannot load loss plugin \(directory)/libz.so.1: no such file")
    }

    @Test func aFileThatIsNotALibraryOrLacksTheEntryPointIsAClearError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = directory.appendingPathComponent("notes.so")
        try Data("not a library".utf8).write(to: text)
        var registry = LossRegistry.standard
        let notLibrary = try #require(throws: LossError.self) { try registry.loadPlugin(path: text.path) }
        #expect(notLibrary.description.hasPrefix("cannot load loss plugin \(text.path): dlopen failed: "))
        // A real shared library without `trainboard_register_losses` (zlib, copied here; the
        // system name is a symlink, so the file it points to is copied).
        let candidates = ["/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib64/libz.so.1"]
        guard let zlib = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return }
        let copy = directory.appendingPathComponent("libnoentry.so")
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: zlib).resolvingSymlinksInPath().path, toPath: copy.path)
        let noEntry = try #require(throws: LossError.self) { try registry.loadPlugin(path: copy.path) }
        #expect(noEntry.description == "cannot load loss plugin \(copy.path): missing entry symbol 'trainboard_register_losses'")
    }
}
