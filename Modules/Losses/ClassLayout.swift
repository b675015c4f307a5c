import Autograd
import TensorCore

/// The class-axis view shared by the classification losses: input `(C)`,
/// `(N, C)` or `(N, C, d₁, …, d_k)` read as `[outer, classes, inner]`, with one
/// sample per `(outer, inner)` position (the class axis is axis 1, or 0 unbatched).
struct ClassLayout {
    var outer: Int, classes: Int, inner: Int
    /// The input's shape and its class axis.
    var shape: [Int], axis: Int
    /// The number of samples, `outer · inner`.
    var samples: Int { outer * inner }

    init(_ loss: String, _ shape: [Int]) throws(LossError) {
        guard !shape.isEmpty else { throw .badInputShape(loss: loss, shape: shape, expected: "(C), (N, C) or (N, C, d1, …, dk)") }
        axis = shape.count == 1 ? 0 : 1
        self.shape = shape
        (outer, classes, inner) = Shape.split(shape, at: axis)
    }

    /// The shape of the per-sample losses and of class-index targets: the input without its class axis.
    var sampleShape: [Int] {
        var s = shape
        s.remove(at: axis)
        return s
    }

    /// Whether `other` is the sample shape (compared without building it).
    func isSampleShape(_ other: [Int]) -> Bool {
        other.count == shape.count - 1 && other.indices.allSatisfy { other[$0] == shape[$0 < axis ? $0 : $0 + 1] }
    }

    /// Checks class-index targets: shape equal to the sample shape, each index
    /// in `0..<classes` or equal to `ignoreIndex`.
    func check(_ loss: String, _ target: IndexTensor, inputShape: [Int], ignoreIndex: Int?) throws(LossError) {
        guard isSampleShape(target.shape) else { throw .shapeMismatch(loss: loss, input: inputShape, target: target.shape) }
        for t in target.indices where t != ignoreIndex && (t < 0 || t >= classes) {
            throw .classOutOfRange(index: t, classes: classes)
        }
    }

    /// Checks a per-class weight: non-negative with exactly `classes` entries.
    func check(weight: Tensor?, option: String = "weight") throws(LossError) {
        guard let weight else { return }
        guard weight.rank == 1 && weight.count == classes else {
            throw .weightLength(option: option, shape: weight.shape, classes: classes)
        }
        try Elementwise.checkNonNegative(option, weight)
    }

    /// PyTorch's weighted-mean divisor: `Σ w_y` over the samples whose target is not `ignoreIndex`.
    func divisor(_ target: IndexTensor, weight: Tensor?, ignoreIndex: Int?) -> Double {
        target.indices.reduce(0.0) { sum, y in y == ignoreIndex ? sum : sum + Double(weight?.scalars[y] ?? 1) }
    }

    /// Runs `body(sample, x, d, scale) -> loss` over every sample (in parallel
    /// for large inputs). `x` holds the sample's `classes` inputs and `d` (when
    /// a gradient is needed) receives `scale · ∂loss/∂x`, both contiguous. Values
    /// are stored for `reduction: .none` and summed otherwise.
    @inline(__always)
    func sweep(_ input: Variable, reduction: LossReduction, divisor: Double? = nil,
               _ body: (Int, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>?, Float) -> Float) -> LossTerms {
        let reduced = reduction.reduces
        let scale = reduced ? reduction.scale(count: samples, batch: input.shape.first ?? 1, divisor: divisor) : 1
        var total = 0.0
        let (values, derivative) = Elementwise.outputs(samples, derivativeCount: input.value.count, values: !reduced, derivative: Elementwise.needsGrad(input)) { pv, pd in
            input.value.withUnsafeBufferPointer { px in
                guard let x = px.baseAddress, samples > 0 else { return }
                total = sweep(x, values: pv, derivative: pd, scale: Float(scale), body)
            }
        }
        let sampleShape = sampleShape
        return LossTerms(sampleShape: sampleShape, values: values.map { Tensor(shape: sampleShape, scalars: $0) },
                         total: reduced ? total : nil, derivative: derivative.map { Tensor(shape: input.shape, scalars: $0) },
                         derivativeScale: scale, classes: classes, inner: inner, meanDivisor: divisor)
    }

    /// The sweep on raw buffers: the input `x` laid out as `shape`, values stored
    /// to `pv` (when given), `scale · ∂loss/∂x` to `pd` (when given). Returns the
    /// sum of the values; allocates nothing when `inner == 1`.
    @inline(__always)
    func sweep(_ x: UnsafePointer<Float>, values pv: UnsafeMutablePointer<Float>?, derivative pd: UnsafeMutablePointer<Float>?,
               scale: Float, _ body: (Int, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>?, Float) -> Float) -> Double {
        let perChunk = Swift.max(1, (1 << 15) / Swift.max(1, classes * inner))
        return FastMath.parallelSum(outer, minimumPerChunk: perChunk) { range in
            var sum = 0.0
            forEachSample(x, pd, outer: range) { s, x, d in
                let v = body(s, x, d, scale)
                pv?[s] = v
                sum += Double(v)
            }
            return sum
        }
    }

    /// Calls `body(sample, x, d)` for the samples of `outer` with its `classes`
    /// input values `x` and derivative slots `d` as contiguous buffers (gathered
    /// from and scattered back to stride `inner` when `inner > 1`).
    @inline(__always)
    func forEachSample(
        _ base: UnsafePointer<Float>, _ derivative: UnsafeMutablePointer<Float>?, outer: Range<Int>,
        _ body: (Int, UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>?) -> Void
    ) {
        if inner == 1 {
            for o in outer {
                let x = UnsafeBufferPointer(start: base + o * classes, count: classes)
                let d = derivative.map { UnsafeMutableBufferPointer(start: $0 + o * classes, count: classes) }
                body(o, x, d)
            }
            return
        }
        var xs = [Float](repeating: 0, count: classes), ds = xs
        xs.withUnsafeMutableBufferPointer { x in
            ds.withUnsafeMutableBufferPointer { d in
                for o in outer {
                    for i in 0..<inner {
                        let start = o * classes * inner + i
                        for c in 0..<classes { x[c] = base[start + c * inner] }
                        body(o * inner + i, UnsafeBufferPointer(x), derivative == nil ? nil : d)
                        if let derivative { for c in 0..<classes { derivative[start + c * inner] = d[c] } }
                    }
                }
            }
        }
    }
}
