import ArgumentParser
import Data
import Foundation

/// `trainboard bench data`: IDX loading and batching speed, next to numpy's.
struct BenchData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Time loading the Fashion-MNIST train set (gzip IDX) and one shuffled epoch of batches.",
        discussion: "Load is images + labels into memory (bytes kept compact), best of --runs. "
            + "The epoch turns a seeded shuffle into [batch, 784] Float batches scaled to [0, 1] (no model), best of --runs. "
            + "If --numpy-script exists, runs it with python3 and prints the ratio. Build with -c release to measure.")

    @Option(help: "IDX image file (plain or gzip).") var images = FashionMNIST.files(.train).images
    @Option(help: "IDX label file (plain or gzip).") var labels = FashionMNIST.files(.train).labels
    @Option(help: "Repetitions; the best time is reported.") var runs = 5
    @Option(help: "Samples per batch.") var batchSize = 128
    @Option(help: "The numpy counterpart; skipped when the file does not exist.") var numpyScript = "bench/idx_numpy.py"

    func validate() throws {
        guard runs >= 1, batchSize >= 1 else { throw ValidationError("--runs and --batch-size must be at least 1") }
    }

    func run() throws {
        var loadTimes: [Double] = []
        var loaded: TensorDataset?
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                loaded = try TensorDataset.images(imageFile: images, labelFile: labels)
            } catch {
                FileHandle.standardError.write(Foundation.Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            loadTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard let dataset = loaded, let load = loadTimes.min() else { return }
        let loader = try DataLoader(dataset.scaledToUnitRange().flattened(), batchSize: batchSize, seed: 1)
        var checksum: Float = 0, batches = 0, epoch = 0
        var epochTimes: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            for batch in loader.batches(epoch: epoch) {
                // The mean pixel of one sample per batch keeps the work observable.
                let width = dataset.featuresPerSample, first = batch.size / 2 * width
                checksum += batch.features.scalars[first..<first + width].reduce(0, +) / Float(width)
                batches += 1
            }
            epochTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            epoch += 1
        }
        let epochTime = epochTimes.min() ?? 0
        print("data set: \(dataset.count) samples of \(dataset.sampleShape), \(dataset.targetKind)")
        print(String(format: "load (gzip IDX, images + labels):   %8.1f ms", load * 1000))
        print(String(format: "epoch (shuffle + %d x [%d, %d] batches): %6.1f ms  (%.0f samples/s, mean pixel %.3f)",
                     loader.batchCount, batchSize, dataset.featuresPerSample, epochTime * 1000,
                     Double(dataset.count) / epochTime, checksum / Float(max(batches, 1))))
        compareWithNumpy(load: load, epoch: epochTime)
    }

    /// Runs the numpy script, echoes its lines and prints the Swift/numpy ratio.
    private func compareWithNumpy(load: Double, epoch: Double) {
        guard FileManager.default.fileExists(atPath: numpyScript) else {
            print("numpy: \(numpyScript) not found (run from the repository root to compare)")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", numpyScript, "--images", images, "--labels", labels,
                             "--runs", String(runs), "--batch-size", String(batchSize)]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { print("numpy: could not run python3: \(error)"); return }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var numpy: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let seconds = Double(parts[1]) { numpy[String(parts[0])] = seconds }
        }
        guard process.terminationStatus == 0, let npLoad = numpy["load"], let npEpoch = numpy["epoch"] else {
            print("numpy: script failed (status \(process.terminationStatus))")
            return
        }
        print(String(format: "numpy load:  %8.1f ms   swift/numpy = %.2f", npLoad * 1000, load / npLoad))
        print(String(format: "numpy epoch: %8.1f ms   swift/numpy = %.2f", npEpoch * 1000, epoch / npEpoch))
    }
}
