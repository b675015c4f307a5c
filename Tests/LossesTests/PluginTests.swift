import Autograd
import Foundation
import Testing
import TensorCore
@testable import Losses

extension Tag {
    /// Slow tests that run `swift build` on `Examples/LossPlugin` (about a minute, once per run).
    @Tag static var plugin: Self
}

/// Loading a user loss from a dynamic library: the example plugin package is
/// built once per test run (into `.build/loss-plugin` of this checkout,
/// kept between runs so rebuilds are incremental) and loaded with `dlopen`.
@Suite(.serialized, .tags(.plugin)) struct PluginTests {
    /// The built `libLossPlugin.so`, or why it could not be built. Built on first use, once.
    static let library: Result<String, CaseFormatError> = buildExamplePlugin()

    static func buildExamplePlugin() -> Result<String, CaseFormatError> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // Inside this checkout's own .build: a scratch folder shared between checkouts goes stale.
        let scratch = root.appendingPathComponent(".build/loss-plugin")
        let library = scratch.appendingPathComponent("debug/libLossPlugin.so").path
        var output = ""
        // An incremental build can miss source files added to the root package since the
        // last build; a failure is retried once from an empty scratch folder.
        for attempt in 0..<2 {
            if attempt == 1 { try? FileManager.default.removeItem(at: scratch) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "build", "--package-path", root.appendingPathComponent("Examples/LossPlugin").path,
                                 "--scratch-path", scratch.path]
            let log = Pipe()
            process.standardOutput = log
            process.standardError = log
            do { try process.run() } catch { return .failure(CaseFormatError("cannot run swift build: \(error)")) }
            output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0, FileManager.default.fileExists(atPath: library) { return .success(library) }
        }
        return .failure(CaseFormatError("swift build of Examples/LossPlugin failed:\n\(output.suffix(2000))"))
    }

    func loadError(_ registry: inout LossRegistry, _ path: String) -> String {
        do throws(LossError) { try registry.loadPlugin(path: path); return "" } catch { return error.description }
    }

    @Test(.timeLimit(.minutes(10))) func loadsAndEvaluatesThePluginLoss() throws {
        let path = try Self.library.get()
        var registry = LossRegistry.standard
        try registry.loadPlugin(path: path)
        #expect(registry.names.contains("log_cosh"))
        let loss = try registry.make(name: "log_cosh", options: ["reduction": .string("sum")])
        let x = Variable(Tensor([0.5, -2, 30]), requiresGrad: true)
        let value = try loss(x, .values(Tensor.zeros([3])))
        value.backward()
        let expected = [0.5, -2.0, 30.0].map { Foundation.log(Foundation.cosh($0)) }.reduce(0, +)
        #expect(Swift.abs(Double(value.value.item) - expected) < 1e-4)
        #expect(x.grad!.isClose(to: Tensor([0.5, -2, 30]).tanh()))
        // Its errors come through typed, too.
        #expect(throws: LossError.self) { try loss(x, .values(Tensor.zeros([2]))) }
    }

    @Test(.timeLimit(.minutes(10))) func nameClashesAreRejected() throws {
        let path = try Self.library.get()
        var registry = LossRegistry.standard
        registry.builtInNames.insert("log_cosh")       // as if log_cosh were built in
        #expect(loadError(&registry, path).contains("clashes with a built-in"))
        var twice = LossRegistry.standard
        try twice.loadPlugin(path: path)
        #expect(loadError(&twice, path).contains("already registered"))
    }

    @Test func loadFailuresAreClear() throws {
        var registry = LossRegistry.standard
        #expect(loadError(&registry, "/no/such/libPlugin.so").contains("no such file"))
        let notALibrary = FileManager.default.temporaryDirectory.appendingPathComponent("trainboard-not-a-plugin.so")
        try Data("not an ELF file".utf8).write(to: notALibrary)
        #expect(loadError(&registry, notALibrary.path).contains("dlopen failed"))
        let libm = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6", "/usr/lib/aarch64-linux-gnu/libm.so.6"]
            .first { FileManager.default.fileExists(atPath: $0) }
        if let libm { #expect(loadError(&registry, libm).contains("missing entry symbol 'trainboard_register_losses'")) }
        #expect(registry.names == LossRegistry.standard.names)
    }
}
