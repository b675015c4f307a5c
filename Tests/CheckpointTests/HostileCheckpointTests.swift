import Foundation
import Testing
@testable import Checkpoint
import NN

/// Checkpoint metadata is untrusted too (issue 9): damaged JSON names the file and
/// key, and optimizer state with negative or overflowing dimensions is rejected
/// instead of trapping in `Tensor(shape:scalars:)`.
/// A state shaped like the trainer's (`epoch`, `step`).
private struct LoopState: Decodable {
    var epoch: Int
    var step: Int
}

@Suite("Hostile checkpoint metadata")
struct HostileCheckpointTests {
    @Test func optimizerStateWithNegativeOrOverflowingDimensionsIsDamaged() throws {
        let sixteen = Data(count: 16).base64EncodedString()
        for shape in ["-1,-4", "4611686018427387904,4", "-2,2"] {
            let json = #"{"exp_avg.0":{"shape":"\#(shape)","data":"\#(sixteen)"}}"#
            let error = try #require(throws: CheckpointError.self) { try Checkpointer.decode(json, file: "ck.safetensors") }
            #expect(error.description == "ck.safetensors: optimizer state 'exp_avg.0' is damaged")
        }
        let empty = #"{"m":{"shape":"4611686018427387904,4","data":""}}"#
        #expect(throws: CheckpointError.self) { try Checkpointer.decode(empty, file: "ck.safetensors") }
        let good = try Checkpointer.decode(#"{"m":{"shape":"2,2","data":"\#(sixteen)"}}"#, file: "ck.safetensors")
        #expect(good["m"]?.shape == [2, 2])
    }

    @Test func damagedMetadataJSONNamesTheFileAndTheKey() throws {
        func message(_ json: String) -> String {
            do { _ = try Checkpointer.decodeMetadata(LoopState.self, json, key: "trainboard.state", file: "ck.safetensors")
                 return "no error" } catch { return "\(error)" }
        }
        #expect(message("{broken") == "ck.safetensors: checkpoint metadata 'trainboard.state' is damaged: not valid JSON")
        #expect(message("[1, 2]").hasPrefix("ck.safetensors: checkpoint metadata 'trainboard.state' is damaged: "))
        let optimizer = try #require(throws: CheckpointError.self) { try Checkpointer.decode("[]", file: "ck.safetensors") }
        #expect(optimizer.description.hasPrefix("ck.safetensors: checkpoint metadata 'trainboard.optimizer' is damaged: "))
    }
}
