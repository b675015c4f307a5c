import Autograd
import TensorCore

/// Shared plumbing of the elementwise losses: shape checks, broadcasting and
/// the single fused sweep that writes each loss value (or sums it) and its
/// derivative, split over the cores for large inputs.
enum Elementwise {
    /// Whether a backward rule will be recorded for `input`.
    static func needsGrad(_ input: Variable) -> Bool { input.requiresGrad && GradMode.isEnabled }

    /// The shape the loss is computed at: the input's and target's broadcast
    /// shape, or exactly the input's shape when `broadcasts` is false (as
    /// PyTorch's `bce`, `bce_with_logits`).
    static func shape(_ loss: String, _ input: [Int], _ target: [Int], broadcasts: Bool) throws(LossError) -> [Int] {
        if input == target { return input }
        guard broadcasts, let shape = try? Shape.broadcast(input, target) else {
            throw .shapeMismatch(loss: loss, input: input, target: target)
        }
        return shape
    }

    /// `weight` broadcast up to `shape` (nil stays nil, a single value stays single); it may not enlarge the shape.
    static func expand(_ name: String, _ weight: Tensor?, to shape: [Int]) throws(LossError) -> Tensor? {
        guard let weight else { return nil }
        guard let joint = try? Shape.broadcast(weight.shape, shape), joint == shape else {
            throw .weightShape(option: name, shape: weight.shape, input: shape)
        }
        return weight.count == 1 ? weight : weight.broadcast(to: shape)
    }

    /// Rejects a weight with a negative entry.
    static func checkNonNegative(_ name: String, _ weight: Tensor?) throws(LossError) {
        if let bad = weight?.scalars.first(where: { $0 < 0 }) { throw .negativeWeight(option: name, value: bad) }
    }

    /// One chunk of an elementwise sweep: operand pointers (weights `a`, `b`
    /// step 0 when they are a single value), output slots, and the factor to
    /// fold into the derivative.
    struct Block {
        var range: Range<Int>
        var x, y, a, b: UnsafePointer<Float>
        var aStep, bStep: Int
        /// Where to store values; nil when only their sum is needed.
        var values: UnsafeMutablePointer<Float>?
        /// Where to store `scale · ∂l/∂x`; nil when no gradient is needed.
        var derivative: UnsafeMutablePointer<Float>?
        var scale: Float
    }

    /// Prepares operands and outputs and runs `kernel` over the chunks (in
    /// parallel for large inputs); each chunk returns the sum of its values.
    /// `reduction == nil` stores the values and leaves the derivative unscaled.
    @inline(__always)
    static func sweep(
        _ loss: String, _ input: Variable, _ target: Tensor, broadcasts: Bool,
        a: (String, Tensor?), b: (String, Tensor?), reduction: LossReduction?,
        _ kernel: (Block) -> Double
    ) throws(LossError) -> LossTerms {
        let shape = try Elementwise.shape(loss, input.shape, target.shape, broadcasts: broadcasts)
        let x = input.value.broadcast(to: shape), y = target.broadcast(to: shape)
        let one = Tensor(1)
        let wa = try expand(a.0, a.1, to: shape) ?? one, wb = try expand(b.0, b.1, to: shape) ?? one
        let count = Shape.count(shape), reduced = reduction?.reduces ?? false
        let scale = reduced ? reduction!.scale(count: count, batch: input.shape.first ?? 1) : 1
        var total = 0.0
        let (values, derivative) = outputs(count, values: !reduced, derivative: needsGrad(input)) { pv, pd in
            x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in
                wa.withUnsafeBufferPointer { pa in wb.withUnsafeBufferPointer { pb in
                    guard count > 0 else { return }
                    total = blocks(count, x: px.baseAddress!, y: py.baseAddress!, a: pa, b: pb, values: pv, derivative: pd,
                                   scale: Float(scale), kernel)
                } }
            } }
        }
        return LossTerms(sampleShape: shape, values: values.map { Tensor(shape: shape, scalars: $0) },
                         total: reduced ? total : nil,
                         derivative: derivative.map { Tensor(shape: shape, scalars: $0) }, derivativeScale: scale)
    }

    /// Runs `kernel` over `0..<count` in blocks (in parallel for large counts) on
    /// raw operands — `a` and `b` hold one value or `count` — and sums the blocks' results.
    @inline(__always)
    static func blocks(_ count: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>,
                       a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>,
                       values: UnsafeMutablePointer<Float>?, derivative: UnsafeMutablePointer<Float>?, scale: Float,
                       _ kernel: (Block) -> Double) -> Double {
        FastMath.parallelSum(count) { range in
            kernel(Block(range: range, x: x, y: y, a: a.baseAddress!, b: b.baseAddress!,
                         aStep: a.count == 1 ? 0 : 1, bStep: b.count == 1 ? 0 : 1,
                         values: values, derivative: derivative, scale: scale))
        }
    }

    /// The fused sweep on raw buffers for a reduced loss: input `x` and a target
    /// `y` of the same shape, weights `a`, `b` absent, single, or of that shape;
    /// writes `scale · ∂l/∂x` to `derivative`. Returns the reduced value, or nil
    /// when a weight would need broadcasting (then the loss runs in the graph).
    static func reducedGradient(
        _ loss: String, _ input: UnsafeBufferPointer<Float>, shape: [Int], _ target: Tensor,
        a: Tensor?, b: Tensor?, reduction: LossReduction, derivative: UnsafeMutablePointer<Float>,
        _ kernel: (Block) -> Double
    ) throws(LossError) -> Float? {
        guard target.shape == shape else { throw .shapeMismatch(loss: loss, input: shape, target: target.shape) }
        let count = input.count
        func fits(_ w: Tensor?) -> Bool { w == nil || w!.count == 1 || w!.shape == shape }
        guard reduction.reduces, count > 0, fits(a), fits(b) else { return nil }
        let scale = reduction.scale(count: count, batch: shape.first ?? 1)
        // An absent weight is a single 1, read from the stack (no tensor is made).
        var one: Float = 1
        let total = withUnsafePointer(to: &one) { one in
            let unit = UnsafeBufferPointer(start: one, count: 1)
            func operand<R>(_ w: Tensor?, _ body: (UnsafeBufferPointer<Float>) -> R) -> R {
                guard let w else { return body(unit) }
                return w.withUnsafeBufferPointer(body)
            }
            return target.withUnsafeBufferPointer { py in
                operand(a) { pa in
                    operand(b) { pb in
                        blocks(count, x: input.baseAddress!, y: py.baseAddress!, a: pa, b: pb,
                               values: nil, derivative: derivative, scale: Float(scale), kernel)
                    }
                }
            }
        }
        return Float(total * scale)
    }

    /// Runs `body(x, y, a, b) -> (loss, ∂loss/∂x)` once per element, where `a`
    /// and `b` are the optional per-element weights (1 when absent), and reduces.
    @inline(__always)
    static func run(
        _ loss: String, _ input: Variable, _ target: Tensor, broadcasts: Bool = true,
        a: (String, Tensor?) = ("", nil), b: (String, Tensor?) = ("", nil), reduction: LossReduction?,
        _ body: (Float, Float, Float, Float) -> (Float, Float)
    ) throws(LossError) -> LossTerms {
        try sweep(loss, input, target, broadcasts: broadcasts, a: a, b: b, reduction: reduction) { k in
            var total = 0.0
            for i in k.range {
                let (v, g) = body(k.x[i], k.y[i], k.a[i &* k.aStep], k.b[i &* k.bStep])
                k.values?[i] = v
                k.derivative?[i] = g * k.scale
                total += Double(v)
            }
            return total
        }
    }

    /// `run` with an 8-lane body, for the losses worth vectorizing; the tail
    /// runs through the same body with padded lanes.
    @inline(__always)
    static func runVector(
        _ loss: String, _ input: Variable, _ target: Tensor, broadcasts: Bool = true,
        a: (String, Tensor?) = ("", nil), b: (String, Tensor?) = ("", nil), reduction: LossReduction?,
        _ body: (FastMath.V, FastMath.V, FastMath.V, FastMath.V) -> (FastMath.V, FastMath.V)
    ) throws(LossError) -> LossTerms {
        try sweep(loss, input, target, broadcasts: broadcasts, a: a, b: b, reduction: reduction) { vectorBlock($0, body) }
    }

    /// `runVector`'s loop over one block: 8 lanes at a time; the tail runs
    /// through the same body with padded lanes.
    @inline(__always)
    static func vectorBlock(_ k: Block, _ body: (FastMath.V, FastMath.V, FastMath.V, FastMath.V) -> (FastMath.V, FastMath.V)) -> Double {
        typealias V = FastMath.V
        @inline(__always) func load(_ p: UnsafePointer<Float>, _ step: Int, _ i: Int, _ n: Int) -> V {
            if step == 0 { return V(repeating: p[0]) }
            if n == 8 { return UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }
            var v = V(repeating: 0.5)
            for l in 0..<n { v[l] = p[i + l] }
            return v
        }
        var total = 0.0, acc = V(), i = k.range.lowerBound, sinceFlush = 0
        while i < k.range.upperBound {
            let n = min(8, k.range.upperBound - i)
            var (v, g) = body(load(k.x, 1, i, n), load(k.y, 1, i, n), load(k.a, k.aStep, i, n), load(k.b, k.bStep, i, n))
            g *= k.scale
            if n == 8 {
                if let pv = k.values { UnsafeMutableRawPointer(pv + i).storeBytes(of: v, as: V.self) }
                if let pd = k.derivative { UnsafeMutableRawPointer(pd + i).storeBytes(of: g, as: V.self) }
            } else {
                for l in 0..<n { k.values?[i + l] = v[l]; k.derivative?[i + l] = g[l] }
                for l in n..<8 { v[l] = 0 }
            }
            acc += v
            sinceFlush += 1
            if sinceFlush == 128 { total += Double(acc.sum()); acc = V(); sinceFlush = 0 }
            i += n
        }
        return total + Double(acc.sum())
    }

    /// Allocates `count` uninitialized values and/or `derivativeCount` (default
    /// `count`) derivative slots and lets `body` fill them.
    @inline(__always)
    static func outputs(_ count: Int, derivativeCount: Int? = nil, values: Bool, derivative: Bool,
                        _ body: (UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?) -> Void) -> ([Float]?, [Float]?) {
        func make(_ wanted: Bool, _ count: Int, _ inner: (UnsafeMutablePointer<Float>?) -> Void) -> [Float]? {
            guard wanted else { inner(nil); return nil }
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                inner(count == 0 ? nil : buffer.baseAddress)
                initialized = count
            }
        }
        var d: [Float]?
        let v = make(values, count) { pv in d = make(derivative, derivativeCount ?? count) { pd in body(pv, pd) } }
        return (v, d)
    }
}
