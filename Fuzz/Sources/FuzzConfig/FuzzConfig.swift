import Config

/// YAML text into a `RunConfig` (parse, then validate every section), and the
/// resolved document back to YAML, which must parse again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let document = try ConfigValue.parse(yaml: text, file: "fuzz.yaml")
        let config = try RunConfig(document, file: "fuzz.yaml")
        _ = config.resolved.yaml()
    } catch {
        precondition(!"\(error)".isEmpty)
    }
    return 0
}
