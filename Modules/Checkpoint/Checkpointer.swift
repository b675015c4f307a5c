import Foundation
import NN
import RunEvents
import TensorCore

/// What a checkpoint holds besides the weights: enough to resume a run exactly.
/// Each part is a value the trainer (or any loop) provides; the checkpointer
/// only stores it.
public struct TrainingSnapshot: Sendable, Equatable {
    /// The loop's state (epoch, step, …) as JSON.
    public var loopState: String
    /// The optimizer's state tensors (`Optimizer.stateTensors()`).
    public var optimizerState: [String: Tensor]
    /// Each stateful handler's state as JSON, by the handler's key.
    public var handlerStates: [String: String]

    public init(loopState: String, optimizerState: [String: Tensor], handlerStates: [String: String] = [:]) {
        self.loopState = loopState
        self.optimizerState = optimizerState
        self.handlerStates = handlerStates
    }
}

/// Saves and restores checkpoints as safetensors files PyTorch can read.
///
/// The tensors are exactly the model's `state_dict` (`0.weight`, `0.bias`, …),
/// so `model.load_state_dict(safetensors.torch.load_file(path))` works in
/// PyTorch. Everything else travels in the string metadata:
/// - `trainboard.state`: the loop state (epoch, step, …) as JSON;
/// - `trainboard.optimizer`: the optimizer's state tensors, base64 Float32;
/// - `trainboard.handlers`: the handlers' states (early stopping, best checkpoint, …) as JSON;
/// - `trainboard.config`: the resolved run config (YAML);
/// - any extra entries the run adds (`trainboard.normalization`, `trainboard.classes`, …).
///
/// Files are written atomically (temp file, fsync, rename), so a crash or a
/// full disk never leaves a truncated checkpoint in place.
public struct Checkpointer: Sendable {
    /// Why a checkpoint is written: the same kinds the `checkpoint_saved` event names.
    public typealias Kind = CheckpointSaved.Kind

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

    /// Writes `parameters` (named as `state_dict` keys) and `snapshot`; returns the path.
    /// Temporary files that saves killed mid-write left in the directory are removed first.
    public func save(kind: Kind, step: Int, parameters: [Parameter], snapshot: TrainingSnapshot) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Temporaries of saves killed mid-write (of any kind: `best`, `last`, …) go first.
        AtomicFile.removeStaleTemporaries(in: directory)
        let url = url(for: kind, step: step)
        var meta = metadata
        meta["format"] = "pt"
        meta["trainboard.state"] = snapshot.loopState
        meta["trainboard.optimizer"] = try Self.encode(snapshot.optimizerState)
        if !snapshot.handlerStates.isEmpty {
            meta["trainboard.handlers"] = String(decoding: try Self.jsonEncoder.encode(snapshot.handlerStates), as: UTF8.self)
        }
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = p.value }
        try SafetensorsFile.write(tensors: tensors, metadata: meta, to: url)
        return url.path
    }

    /// The training snapshot stored in `file` (read from `path`); throws when the file
    /// holds weights only.
    public static func snapshot(in file: SafetensorsFile, path: String) throws -> TrainingSnapshot {
        guard let state = file.metadata["trainboard.state"], let optimizer = file.metadata["trainboard.optimizer"] else {
            throw CheckpointError("\(path): not a Trainboard checkpoint (no trainer state in its metadata); "
                + "use model.init_from for weights only")
        }
        let handlers = try file.metadata["trainboard.handlers"].map {
            try decodeMetadata([String: String].self, $0, key: "trainboard.handlers", file: path)
        } ?? [:]
        return TrainingSnapshot(loopState: state, optimizerState: try decode(optimizer, file: path), handlerStates: handlers)
    }

    /// Copies matching tensors of `file` into the model's parameters (all names and shapes must match).
    public static func loadWeights(_ file: SafetensorsFile, into model: Sequential) throws {
        let tensors = try file.matching(parameters: model.parameters)
        for p in model.parameters { p.variable.value = tensors[p.name]! }
    }

    /// Loads the weights of the checkpoint at `path` into `model`; returns the file for its metadata.
    @discardableResult
    public static func loadWeights(from path: String, into model: Sequential) throws -> SafetensorsFile {
        let file = try SafetensorsFile.read(from: URL(fileURLWithPath: path))
        try loadWeights(file, into: model)
        return file
    }

    private static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
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
                throw CheckpointError("\(file): optimizer state '\(name)' is damaged")
            }
            let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            out[name] = Tensor(shape: shape, scalars: values)
        }
        return out
    }

    /// A JSON value from checkpoint metadata; a damaged one names the file and the key.
    public static func decodeMetadata<T: Decodable>(_ type: T.Type, _ json: String, key: String, file: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch let error as DecodingError {
            let reason: String = switch error {
            case .dataCorrupted: "not valid JSON"
            case let .keyNotFound(key, _): "missing \"\(key.stringValue)\""
            case let .typeMismatch(_, context), let .valueNotFound(_, context):
                "\(context.debugDescription)" + (context.codingPath.isEmpty ? "" : " at " + context.codingPath.map(\.stringValue).joined(separator: "."))
            @unknown default: "\(error)"
            }
            throw CheckpointError("\(file): checkpoint metadata '\(key)' is damaged: \(reason)")
        }
    }
}

/// A checkpoint that cannot be used, with a message naming the file and what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
