import TensorCore

/// Transforms on an in-memory data set. Each returns a new data set; byte
/// features stay bytes where the transform is a single affine map.
extension TensorDataset {
    /// Pixel values divided by 255, mapping bytes 0...255 to [0, 1].
    public func scaledToUnitRange() -> TensorDataset { affine(scale: 1 / 255, offset: 0) }

    /// Every feature value mapped to `(x - mean) / std` (one mean and std for all
    /// features, e.g. the data set's pixel statistics).
    /// - Throws: `DataError.invalidArgument` when `std` is not positive.
    public func normalized(mean: Float, std: Float) throws(DataError) -> TensorDataset {
        guard std > 0, std.isFinite, mean.isFinite else {
            throw .invalidArgument("normalization needs a finite mean and positive std, got mean \(mean), std \(std)")
        }
        return affine(scale: 1 / std, offset: -mean / std)
    }

    /// Features mapped column by column by `normalization` (fitted on the
    /// training split). Byte features become floats, except under a map with
    /// one shift and scale for every feature, which stays a byte transform.
    public func normalized(by normalization: Normalization) throws(DataError) -> TensorDataset {
        if normalization.featureCount == 1, case .bytes = features {
            guard normalization.scale[0] != 0, normalization.scale[0].isFinite, normalization.shift[0].isFinite else {
                throw .invalidArgument("normalization needs a finite shift and non-zero scale, got "
                    + "shift \(normalization.shift[0]), scale \(normalization.scale[0])")
            }
            return affine(scale: 1 / normalization.scale[0], offset: -normalization.shift[0] / normalization.scale[0])
        }
        let flat = featureTensor().reshaped(to: [count, featuresPerSample])
        var copy = self
        copy.features = .floats(try normalization.apply(to: flat).scalars)
        return copy
    }

    /// Samples flattened to one axis: `sampleShape` becomes `[D]`.
    public func flattened() -> TensorDataset {
        var copy = self
        copy.sampleShape = [featuresPerSample]
        return copy
    }

    /// Samples given a leading channel axis: `sampleShape` `[H, W]` becomes
    /// `[1, H, W]`, the `[C, H, W]` planes `Conv2d` takes.
    public func withChannelAxis() -> TensorDataset {
        var copy = self
        copy.sampleShape = [1] + sampleShape
        return copy
    }

    /// Class targets served as one-hot rows `[B, classes]`.
    /// - Throws: `DataError.invalidArgument` for binary targets.
    public func oneHotTargets() throws(DataError) -> TensorDataset {
        var copy = self
        switch targets {
        case let .classes(labels, n): copy.targets = .oneHot(labels, classes: n)
        case .oneHot: break
        case .binary: throw .invalidArgument("binary targets cannot be one-hot encoded")
        }
        return copy
    }

    /// Class targets relabelled as binary: 1 for the classes in `positiveClasses`,
    /// 0 for every other class (e.g. `[5, 7, 9]` for "footwear" in Fashion-MNIST).
    /// - Throws: `DataError.invalidArgument` for data sets without class targets.
    public func binaryTargets(positiveClasses: Set<Int>) throws(DataError) -> TensorDataset {
        guard let labels = classIndices else {
            throw .invalidArgument("binary relabelling needs class targets, the data set is already binary")
        }
        var copy = self
        copy.targets = .binary(labels.map { positiveClasses.contains($0) ? 1 : 0 })
        copy.classNames = nil
        return copy
    }

    /// Composes `x → x * scale + offset` onto the features.
    private func affine(scale: Float, offset: Float) -> TensorDataset {
        var copy = self
        switch features {
        case let .bytes(bytes, s, o):
            copy.features = .bytes(bytes, scale: s * scale, offset: o * scale + offset)
        case let .floats(values):
            copy.features = .floats(values.map { $0 * scale + offset })
        }
        return copy
    }
}
