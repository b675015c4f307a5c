import TensorCore

/// The fused affine map behind `Linear` layers.
extension Variable {
    /// `x·Wᵀ + b`, as `torch.nn.functional.linear`, for `x [N, in]`, `weight [out, in]`
    /// and `bias [out]`; the result is `[N, out]`.
    ///
    /// Forward is one GEMM and one pass adding the bias to each row (see
    /// `Tensor.affine`). Backward is two GEMMs (`g·W` for the input, `gᵀ·x` for the
    /// weight) and a column sum for the bias: no broadcasting or un-broadcasting
    /// is involved. An input that needs no gradient (the data batch) costs no GEMM.
    public static func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        precondition(x.value.rank == 2 && weight.value.rank == 2 && x.shape[1] == weight.shape[1],
                     "linear: input \(x.shape) does not match weight \(weight.shape)")
        let input = x.value, w = weight.value
        let out = Tensor.affine(input, w, bias: bias?.value)
        var inputs = [x, weight], rules: [(Tensor) -> Tensor] = [
            { g in try! Tensor.matmul(g, w) },
            { g in try! Tensor.matmul(g, input, transposeA: true) },
        ]
        if let bias {
            inputs.append(bias)
            rules.append { g in g.sum(axes: [0]) }
        }
        return Variable(out, inputs: inputs, rules: rules)
    }
}
