import Foundation
import TensorCore

/// Saves and restores checkpoints as safetensors files PyTorch can read.
///
/// The tensors are exactly the model's `state_dict` (`0.weight`, `0.bias`, …),
/// so `model.load_state_dict(safetensors.torch.load_file(path))` works in
/// PyTorch. Everything else travels in the string metadata:
/// - `trainboard.state`: the trainer state (epoch, step, best, …) as JSON;
/// - `trainboard.optimizer`: the optimizer's state tensors, base64 Float32;
/// - `trainboard.config`: the resolved run config (YAML);
/// - any extra entries the run adds (`trainboard.normalization`, `trainboard.classes`, …).
///
/// Files are written atomically (temp file, fsync, rename), so a crash or a
/// full disk never leaves a truncated checkpoint in place.
public struct Checkpointer: Sendable {
    public enum Kind: String, Sendable { case last, best, manual }

    public let directory: URL
    /// Extra metadata written into every checkpoint.
    public var metadata: [String: String]

    public init(directory: URL, metadata: [String: String] = [:]) {
        self.directory = directory
        self.metadata = metadata
    }

    /// The file a checkpoint of `kind` goes to.
    public func url(for kind: Kind, step: Int) -> URL {
        directory.appendingPathComponent(kind == .manual ? "step-\(step).safetensors" : "\(kind.rawValue).safetensors")
    }

    /// Writes the trainer's model, optimizer and state; returns the path.
    func save(kind: Kind, trainer: Trainer) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = url(for: kind, step: trainer.state.step)
        var meta = metadata
        meta["format"] = "pt"
        meta["trainboard.state"] = String(decoding: try JSONEncoder().encode(trainer.state), as: UTF8.self)
        meta["trainboard.optimizer"] = try Self.encode(trainer.optimizer.stateTensors())
        var tensors: [String: Tensor] = [:]
        for p in trainer.model.parameters { tensors[p.name] = p.value }
        try SafetensorsFile.write(tensors: tensors, metadata: meta, to: url)
        return url.path
    }

    /// Loads model weights (all names and shapes must match) and, when
    /// `withTrainingState`, the optimizer and trainer state, from `path`.
    public static func restore(_ path: String, into trainer: Trainer, withTrainingState: Bool) throws {
        let file = try SafetensorsFile.read(from: URL(fileURLWithPath: path))
        try loadWeights(file, into: trainer.model)
        guard withTrainingState else { return }
        guard let state = file.metadata["trainboard.state"], let optimizer = file.metadata["trainboard.optimizer"] else {
            throw TrainingError.checkpoint("\(path): not a Trainboard checkpoint (no trainer state in its metadata); "
                + "use model.init_from for weights only")
        }
        trainer.state = try decodeMetadata(TrainerState.self, state, key: "trainboard.state", file: path)
        try trainer.optimizer.loadState(try decode(optimizer, file: path))
    }

    /// Copies matching tensors of `file` into the model's parameters.
    public static func loadWeights(_ file: SafetensorsFile, into model: Sequential) throws {
        let tensors = try file.matching(parameters: model.parameters)
        for p in model.parameters { p.variable.value = tensors[p.name]! }
    }

    /// Tensors as one JSON string: name → {shape, base64 of little-endian Float32}.
    static func encode(_ tensors: [String: Tensor]) throws -> String {
        var object: [String: [String: String]] = [:]
        for (name, t) in tensors {
            let bytes = t.scalars.withUnsafeBufferPointer { Data(buffer: $0) }
            object[name] = ["shape": t.shape.map(String.init).joined(separator: ","), "data": bytes.base64EncodedString()]
        }
        return String(decoding: try JSONEncoder().encode(object), as: UTF8.self)
    }

    static func decode(_ text: String, file: String) throws -> [String: Tensor] {
        let object = try decodeMetadata([String: [String: String]].self, text, key: "trainboard.optimizer", file: file)
        var out: [String: Tensor] = [:]
        for (name, entry) in object {
            let shape = (entry["shape"] ?? "").split(separator: ",").compactMap { Int($0) }
            // Dimensions must be non-negative and their product (in bytes) must not overflow,
            // or `Tensor(shape:scalars:)` traps on a hostile file.
            var bytes: Int? = shape.allSatisfy({ $0 >= 0 }) ? MemoryLayout<Float>.size : nil
            for d in shape where bytes != nil {
                let (product, overflow) = bytes!.multipliedReportingOverflow(by: d)
                bytes = overflow ? nil : product
            }
            guard let data = entry["data"].flatMap({ Data(base64Encoded: $0) }), let bytes,
                  data.count == bytes else {
                throw TrainingError.checkpoint("\(file): optimizer state '\(name)' is damaged")
            }
            let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            out[name] = Tensor(shape: shape, scalars: values)
        }
        return out
    }

    /// A JSON value from checkpoint metadata; a damaged one names the file and the key.
    static func decodeMetadata<T: Decodable>(_ type: T.Type, _ json: String, key: String, file: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch let error as DecodingError {
            let reason: String = switch error {
            case .dataCorrupted: "not valid JSON"
            case let .keyNotFound(key, _): "missing \"\(key.stringValue)\""
            case let .typeMismatch(_, context), let .valueNotFound(_, context):
                "\(context.debugDescription)" + (context.codingPath.isEmpty ? "" : " at " + context.codingPath.map(\.stringValue).joined(separator: "."))
            @unknown default: "\(error)"
            }
            throw TrainingError.checkpoint("\(file): checkpoint metadata '\(key)' is damaged: \(reason)")
        }
    }
}
