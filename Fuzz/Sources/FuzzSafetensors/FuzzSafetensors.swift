import Foundation
import Checkpoint

/// safetensors bytes: header validation, conversion of every dtype to Float,
/// and matching against a small model's names and shapes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    let bytes = Data(bytes: data, count: size)
    do {
        let file = try SafetensorsFile.decode(bytes, path: "fuzz.safetensors")
        for name in file.names { _ = file[name]?.count }
        _ = try? file.matching(expected: [(name: "0.weight", shape: [3, 4]), (name: "0.bias", shape: [3])])
    } catch let error as SafetensorsError {
        precondition(!error.description.isEmpty)
    } catch {
        preconditionFailure("not a SafetensorsError: \(error)")
    }
    return 0
}
