#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
/// The same seed gives the same stream on every run and machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0; state.3 ^= state.1; state.1 ^= state.2; state.0 ^= state.3
        state.2 ^= t
        state.3 = (state.3 << 45) | (state.3 >> 19)
        return result
    }

    /// A uniform value in `[0, 1)` with 24 random bits.
    @inlinable
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// A standard normal value (Box–Muller).
    public mutating func nextNormal() -> Float {
        var u1 = Double(next() >> 11) * 0x1p-53
        if u1 == 0 { u1 = 0x1p-53 }
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// A uniform integer in `0..<bound`, free of modulo bias.
    public mutating func nextIndex(below bound: Int) -> Int {
        Int(next(upperBound: UInt64(bound)))
    }
}

extension Tensor {
    /// Values drawn uniformly from `[low, high)`.
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                               using rng: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { _ in low + (high - low) * rng.nextUniform() })
    }

    /// Values drawn from a normal distribution.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using rng: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { _ in mean + std * rng.nextNormal() })
    }

    /// Kaiming (He) uniform init, as `torch.nn.init.kaiming_uniform_` with leaky-ReLU
    /// slope `a`: bound = √(6 / ((1 + a²) · fanIn)). `a = √5` gives PyTorch's `Linear` default.
    public static func kaimingUniform(_ shape: [Int], fanIn: Int, a: Float = 0,
                                      using rng: inout SeededGenerator) -> Tensor {
        let bound = (6 / ((1 + a * a) * Float(fanIn))).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Kaiming (He) normal init: std = √(2 / ((1 + a²) · fanIn)).
    public static func kaimingNormal(_ shape: [Int], fanIn: Int, a: Float = 0,
                                     using rng: inout SeededGenerator) -> Tensor {
        normal(shape, std: (2 / ((1 + a * a) * Float(fanIn))).squareRoot(), using: &rng)
    }

    /// Xavier (Glorot) uniform init: bound = gain · √(6 / (fanIn + fanOut)).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, gain: Float = 1,
                                     using rng: inout SeededGenerator) -> Tensor {
        let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Xavier (Glorot) normal init: std = gain · √(2 / (fanIn + fanOut)).
    public static func xavierNormal(_ shape: [Int], fanIn: Int, fanOut: Int, gain: Float = 1,
                                    using rng: inout SeededGenerator) -> Tensor {
        normal(shape, std: gain * (2 / Float(fanIn + fanOut)).squareRoot(), using: &rng)
    }
}
