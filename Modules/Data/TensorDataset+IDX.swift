extension TensorDataset {
    /// An image data set from an IDX image file (u8, `[N, H, W]` or any rank ≥ 2)
    /// and an IDX label file (integer type, `[N]`), plain or gzip.
    ///
    /// Pixels stay bytes; batches convert them to Float (use `scaledToUnitRange()`
    /// for [0, 1]). Classes are `0...max label`.
    /// - Throws: `DataError` for unreadable or malformed files, a layout other
    ///   than u8 images and rank-1 integer labels, different sample counts, or
    ///   a negative label or one above `CSVDataset.maxClassIndex`.
    public static func images(imageFile: String, labelFile: String) throws(DataError) -> TensorDataset {
        let images = try IDXReader.read(contentsOf: imageFile)
        let labels = try IDXReader.read(contentsOf: labelFile)
        guard case let .uint8(pixels) = images.elements, images.shape.count >= 2 else {
            throw .unexpectedLayout(file: imageFile, expected: "u8 images of rank >= 2",
                                    found: "\(images.elementType) of shape \(images.shape)")
        }
        guard labels.shape.count == 1, labels.elementType.isInteger else {
            throw .unexpectedLayout(file: labelFile, expected: "integer labels of rank 1",
                                    found: "\(labels.elementType) of shape \(labels.shape)")
        }
        guard images.count == labels.count else {
            throw .countMismatch(file: imageFile, count: images.count, otherFile: labelFile, otherCount: labels.count)
        }
        let targets = try classTargets(labels.integerValues(), file: labelFile)
        return try TensorDataset(features: .bytes(pixels, scale: 1, offset: 0), sampleShape: Array(images.shape.dropFirst()),
                                 targets: targets)
    }

    /// Class targets `0...max label` from IDX labels, which must lie in
    /// `0...CSVDataset.maxClassIndex` (a stray huge label must not make the
    /// one-hot targets and the confusion matrix billions of classes wide).
    public static func classTargets(_ classes: [Int], file: String) throws(DataError) -> Targets {
        if let bad = classes.firstIndex(where: { $0 < 0 }) {
            throw .invalidArgument("\(file): sample \(bad): negative label \(classes[bad]) (labels must be >= 0)")
        }
        if let bad = classes.firstIndex(where: { $0 > CSVDataset.maxClassIndex }) {
            throw .invalidArgument("\(file): sample \(bad): label \(classes[bad]) is out of range (allowed: integers 0...\(CSVDataset.maxClassIndex))")
        }
        return .classes(classes, count: (classes.max() ?? -1) + 1)
    }
}
