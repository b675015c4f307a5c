/// Checks that a data set can be learned from (issue 19): files that parse but hold no
/// samples, no feature values or a single class are errors naming the file, not runs over
/// nothing that end in statistics of inf/nan and a checkpoint.
extension TensorDataset {
    /// The distinct classes among the targets: class indices, or the 0/1 values of binary targets.
    public var presentClasses: Set<Int> {
        switch targets {
        case let .classes(labels, _), let .oneHot(labels, _): Set(labels)
        case let .binary(values): Set(values.map { Int($0) })
        }
    }

    /// Throws unless the set has at least one sample and a feature value per sample.
    /// - Parameter file: the features' file, named in the messages with the sample shape.
    /// - Throws: `DataError.noSamples` or `.noFeatureValues`.
    public func checkNotEmpty(file: String) throws(DataError) {
        guard count > 0 else { throw .noSamples(file: file, shape: [0] + sampleShape) }
        guard featuresPerSample > 0 else { throw .noFeatureValues(file: file, sampleShape: sampleShape) }
    }

    /// Throws unless the set has at least one sample, a feature value per sample and two classes.
    /// - Parameters:
    ///   - file: the features' file, named in the messages.
    ///   - labelFile: the labels' file when it is another one (IDX), named for a single class.
    /// - Throws: `DataError.noSamples`, `.noFeatureValues` or `.singleClass`.
    public func checkLearnable(file: String, labelFile: String? = nil) throws(DataError) {
        try checkNotEmpty(file: file)
        let classes = presentClasses
        if classes.count < 2, let only = classes.first {
            let binary = targetKind == .binary
            let name = classNames.flatMap { only < $0.count ? $0[only] : nil } ?? String(only)
            throw .singleClass(file: labelFile ?? file, count: count, label: name, binary: binary)
        }
    }
}

extension CSVDataset {
    /// Throws unless the data can be learned from: feature columns besides the label, and
    /// the checks of ``TensorDataset/checkLearnable(file:labelFile:)``. (`CSVDataset.build`
    /// already rejects a file without data rows, for `data inspect` too.)
    /// - Throws: `DataError.noFeatureColumns`, `.noSamples` or `.singleClass`.
    public func checkLearnable() throws(DataError) {
        guard !featureNames.isEmpty else { throw .noFeatureColumns(file: file, label: labelColumn) }
        try dataset.checkLearnable(file: file)
    }
}
