import Foundation
import Testing
@testable import Losses

/// The vector `exp` and `log1p` against libm, across the ranges the kernels use.
@Suite struct FastMathTests {
    func worstRelativeError(_ inputs: [Float], _ vector: (FastMath.V) -> FastMath.V, _ reference: (Double) -> Double) -> Double {
        var worst = 0.0
        for start in stride(from: 0, to: inputs.count - 7, by: 8) {
            var v = FastMath.V()
            for l in 0..<8 { v[l] = inputs[start + l] }
            let got = vector(v)
            for l in 0..<8 {
                let want = reference(Double(v[l]))
                worst = max(worst, abs(Double(got[l]) - want) / max(abs(want), 1e-30))
            }
        }
        return worst
    }

    @Test func expIsAccurateToAFewUlp() {
        let inputs = (0..<4000).map { Float(-87 + 175 * Double($0) / 4000) }
        #expect(worstRelativeError(inputs, FastMath.exp, Foundation.exp) < 5e-7)
    }

    @Test func log1pIsAccurateIncludingTinyArguments() {
        let inputs = (0..<4000).map { Float($0) / 4000 } + (0..<800).map { Float(pow(10, -Double($0) / 20)) }
        #expect(worstRelativeError(inputs, FastMath.log1p, Foundation.log1p) < 5e-7)
    }
}
