import TensorCore

/// A per-feature affine map `x' = (x - shift) / scale`, fitted on training
/// features and stored (it is `Codable`) with a run so evaluation applies
/// exactly the same map.
///
/// - `standardization`: shift = mean, scale = population standard deviation
///   (divides by N, `ddof = 0`, as scikit-learn's `StandardScaler`).
/// - `minMax`: shift = min, scale = max - min, mapping the training range to [0, 1].
///
/// A constant feature (scale 0) gets scale 1, so it maps to 0 instead of NaN.
///
/// A map with a single shift and scale applies them to every feature: the
/// image convention (torchvision's `Normalize(mean, std)` with the training
/// set's pixel statistics), fitted with `perFeature: false`.
public struct Normalization: Codable, Sendable, Equatable {
    /// How the map was fitted.
    public enum Method: String, Codable, Sendable {
        case standardization, minMax
    }

    /// How the map was fitted.
    public var method: Method
    /// Subtracted from each feature (`[D]`).
    public var shift: [Float]
    /// Each feature is divided by this after the shift (`[D]`).
    public var scale: [Float]

    /// A map with explicit parameters.
    public init(method: Method, shift: [Float], scale: [Float]) {
        self.method = method
        self.shift = shift
        self.scale = scale
    }

    /// Mean and population std of each column of `features` `[N, D]`.
    public static func standardization(fittedOn features: Tensor) -> Normalization {
        let (n, d) = (features.shape.first ?? 0, features.shape.dropFirst().reduce(1, *))
        var mean = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        features.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { mean[j] += Double(x[i * d + j]) } }
            for j in 0..<d { mean[j] /= Double(max(n, 1)) }
            for i in 0..<n { for j in 0..<d { let e = Double(x[i * d + j]) - mean[j]; squares[j] += e * e } }
        }
        let std = squares.map { ($0 / Double(max(n, 1))).squareRoot() }
        return Normalization(method: .standardization, shift: mean.map(Float.init),
                             scale: std.map { $0 > 0 ? Float($0) : 1 })
    }

    /// Min and range of each column of `features` `[N, D]`.
    public static func minMax(fittedOn features: Tensor) -> Normalization {
        let (n, d) = (features.shape.first ?? 0, features.shape.dropFirst().reduce(1, *))
        var low = [Float](repeating: .infinity, count: d), high = [Float](repeating: -.infinity, count: d)
        features.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { low[j] = min(low[j], x[i * d + j]); high[j] = max(high[j], x[i * d + j]) } }
        }
        if n == 0 { low = [Float](repeating: 0, count: d); high = low }
        return Normalization(method: .minMax, shift: low, scale: zip(low, high).map { $1 > $0 ? $1 - $0 : 1 })
    }

    /// Fitted on all features of `dataset` (pass the training split only): per
    /// feature, or with `perFeature: false` one mean and std over every value.
    public static func standardization(fittedOn dataset: TensorDataset, perFeature: Bool = true) -> Normalization {
        if !perFeature {
            let s = dataset.valueStatistics()
            return Normalization(method: .standardization, shift: [Float(s.mean)], scale: [s.std > 0 ? Float(s.std) : 1])
        }
        return standardization(fittedOn: dataset.featureTensor().reshaped(to: [dataset.count, dataset.featuresPerSample]))
    }

    /// Fitted on all features of `dataset` (pass the training split only): per
    /// feature, or with `perFeature: false` one range over every value.
    public static func minMax(fittedOn dataset: TensorDataset, perFeature: Bool = true) -> Normalization {
        if !perFeature {
            let s = dataset.valueStatistics()
            return Normalization(method: .minMax, shift: [s.min], scale: [s.max > s.min ? s.max - s.min : 1])
        }
        return minMax(fittedOn: dataset.featureTensor().reshaped(to: [dataset.count, dataset.featuresPerSample]))
    }

    /// The number of features the map is for (1: the same map for every feature).
    public var featureCount: Int { shift.count }

    /// `features` `[N, D]` mapped column by column.
    /// - Throws: `DataError.invalidArgument` when D differs from `featureCount`.
    public func apply(to features: Tensor) throws(DataError) -> Tensor {
        let d = features.shape.dropFirst().reduce(1, *)
        guard d == featureCount || featureCount == 1, features.rank >= 1 else {
            throw .invalidArgument("normalization is for \(featureCount) features, got shape \(features.shape)")
        }
        var out = features
        let single = featureCount == 1
        out.withUnsafeMutableBufferPointer { x in
            for k in 0..<x.count { let j = single ? 0 : k % d; x[k] = (x[k] - shift[j]) / scale[j] }
        }
        return out
    }
}

extension TensorDataset {
    /// Mean, population std, min and max over every feature value of every
    /// sample, in `Double`. Byte features are counted through a histogram of
    /// the 256 byte values, so no float copy of the data set is made.
    func valueStatistics() -> (mean: Double, std: Double, min: Float, max: Float) {
        var counts = [Double](repeating: 0, count: 256)
        if case let .bytes(bytes, _, _) = features { bytes.withUnsafeBufferPointer { for b in $0 { counts[Int(b)] += 1 } } }
        /// Each distinct value with how often it occurs (floats: each value once).
        func forEachValue(_ body: (Float, Double) -> Void) {
            switch features {
            case let .bytes(_, scale, offset):
                for (byte, count) in counts.enumerated() where count > 0 { body(Float(byte) * scale + offset, count) }
            case let .floats(all):
                for v in all { body(v, 1) }
            }
        }
        var n = 0.0, sum = 0.0, low = Float.infinity, high = -Float.infinity
        forEachValue { v, count in
            n += count
            sum += count * Double(v)
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        guard n > 0 else { return (0, 0, 0, 0) }
        let mean = sum / n
        var squares = 0.0
        forEachValue { v, count in squares += count * (Double(v) - mean) * (Double(v) - mean) }
        return (mean, (squares / n).squareRoot(), low, high)
    }
}
