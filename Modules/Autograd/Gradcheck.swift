import TensorCore

/// The outcome of `gradcheck`: the worst disagreement between the analytic
/// gradient and central finite differences, relative to the tolerance.
public struct GradcheckReport: CustomStringConvertible, Sendable {
    /// Worst `|analytic − numeric| / (atol + rtol·|numeric|)`; ≤ 1 passes.
    public var worstRatio: Double = 0
    /// Where the worst element is: (input number, flat index, analytic, numeric).
    public var worst: (input: Int, index: Int, analytic: Double, numeric: Double) = (0, 0, 0, 0)
    /// True when every element is within tolerance.
    public var passed: Bool { worstRatio <= 1 }

    public var description: String {
        "gradcheck \(passed ? "passed" : "FAILED"): worst input \(worst.input)[\(worst.index)] "
            + "analytic \(worst.analytic) vs numeric \(worst.numeric) (\(worstRatio) × tolerance)"
    }
}

/// Checks the backward rules behind `f` against central finite differences.
///
/// The objective is `Σ w ⊙ f(inputs)` with fixed random weights `w`, so a
/// rule that is wrong in any single output element shows up (a plain sum can
/// hide errors that cancel). Values are Float32; the objective is summed in
/// Double. The default step and tolerances catch a wrong rule (a missing
/// factor, a sign, a swapped operand) while tolerating Float32 rounding.
///
/// - Parameters:
///   - inputs: the point to check at; every input gets a gradient.
///   - eps: the finite-difference step.
///   - rtol: the relative tolerance.
///   - atol: the absolute tolerance.
///   - seed: the seed of the random weights `w`.
///   - f: the function under test, built from differentiable ops.
public func gradcheck(
    _ inputs: [Tensor], eps: Float = 1e-3, rtol: Double = 1e-2, atol: Double = 1e-3,
    seed: UInt64 = 0, _ f: ([Variable]) -> Variable
) -> GradcheckReport {
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    let output = f(variables)
    var rng = SeededGenerator(seed: seed)
    let weights = Tensor.uniform(output.shape, low: 0.5, high: 1.5, using: &rng)
    output.backward(seed: weights)

    func objective(_ point: [Tensor]) -> Double {
        let out = noGrad { f(point.map { Variable($0) }) }.value
        return zip(out.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    var report = GradcheckReport()
    for (i, input) in inputs.enumerated() {
        let analytic = variables[i].grad ?? .zeros(like: input)
        for j in 0..<input.count {
            var point = inputs
            point[i].withUnsafeMutableBufferPointer { $0[j] += eps }
            let up = objective(point)
            point[i].withUnsafeMutableBufferPointer { $0[j] -= 2 * eps }
            let down = objective(point)
            let numeric = (up - down) / (2 * Double(eps))
            let a = Double(analytic.scalars[j])
            let ratio = Swift.abs(a - numeric) / (atol + rtol * Swift.abs(numeric))
            if ratio > report.worstRatio || ratio.isNaN {
                report.worstRatio = ratio.isNaN ? .infinity : ratio
                report.worst = (i, j, a, numeric)
            }
        }
    }
    return report
}
