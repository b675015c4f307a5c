import Data

/// CSV text into a table and then a data set. The first byte picks the
/// options (delimiter, label column, task, missing values) so one corpus
/// covers them; the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data = pointer else { return 0 }
    guard size > 0 else { return 0 }
    let selector = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let delimiter: Character = [",", ";", "\t", " "][Int(selector & 3)]
    do {
        let table = try CSVReader.parse(bytes, file: "fuzz.csv", delimiter: delimiter)
        var options = CSVOptions(delimiter: delimiter)
        if selector & 4 != 0 { options.label = table.header.first }
        if selector & 8 != 0 { options.task = .binary }
        if selector & 16 != 0 { options.missingValues = .imputeMean }
        if selector & 32 != 0 { options.features = Array(table.header.dropLast().prefix(2)) }
        if selector & 64 != 0 { options.label = "no such column" }
        let set = try CSVDataset.build(from: table, options: options)
        _ = set.dataset.count
        if set.dataset.count > 1 {
            let (train, validation) = try set.dataset.split(validationFraction: 0.25, seed: 1)
            _ = (train.count, validation.count)
        }
    } catch {
        precondition(!error.description.isEmpty)
    }
    return 0
}
