import Data
import Foundation

// Iris from CSV, standardized on the training split, in shuffled batches.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../../")
let csv = try CSVDataset.load(contentsOf: root.appendingPathComponent("Config/data/iris.csv").standardized.path,
                              options: CSVOptions(label: "species"))
let (train, validation) = try csv.dataset.split(validationFraction: 0.2, seed: 0)
let scaler = Normalization.standardization(fittedOn: train)
let loader = try DataLoader(try train.normalized(by: scaler), batchSize: 32, seed: 0)
var seen = 0
for batch in loader.batches(epoch: 0) {
    seen += batch.size
    print("batch features \(batch.features.shape), targets \(batch.targets.classes!.shape)")
}
print("\(seen) training rows, \(validation.count) validation rows, classes \(csv.labelEncoding.classNames)")
guard seen == 120, validation.count == 30 else { fatalError("unexpected split") }
