#!/usr/bin/env python3
"""Write legacy_reduction.json: loss cases with PyTorch's deprecated `size_average` and
`reduce` options, computed by PyTorch's loss *modules* (torch.nn.BCELoss(size_average=...,
reduce=..., reduction=...) and so on), which map them to `reduction` with
torch/nn/_reduction.py `legacy_get_string`. Each case records the reduction PyTorch chose
(`legacy_reduction`) and its warning text, then the value and input gradient of the sum.
Losses whose modules have no such options (HuberLoss, torchvision's sigmoid focal loss)
are error cases. Inputs are float32-representable; the arithmetic is float64.

usage: make_legacy_reduction_cases.py OUT.json   (the committed fixture: seed 0, torch 2.x)
"""
import json, sys, warnings
import torch
import torch.nn as nn

MODULES = {
    "bce": nn.BCELoss, "bce_with_logits": nn.BCEWithLogitsLoss, "cross_entropy": nn.CrossEntropyLoss,
    "nll": nn.NLLLoss, "mse": nn.MSELoss, "l1": nn.L1Loss, "smooth_l1": nn.SmoothL1Loss,
    "kl_div": nn.KLDivLoss, "poisson_nll": nn.PoissonNLLLoss, "soft_margin": nn.SoftMarginLoss,
    "multilabel_soft_margin": nn.MultiLabelSoftMarginLoss, "multi_margin": nn.MultiMarginLoss,
    "hinge_embedding": nn.HingeEmbeddingLoss,
}

# (size_average, reduce, reduction): None is PyTorch's None (written as JSON null or left out).
COMBOS = [
    (False, None, None),       # -> sum
    (None, False, None),       # -> none
    (True, True, None),        # -> mean
    (False, True, "mean"),     # -> sum, overriding reduction='mean'
    (True, None, "sum"),       # -> mean, overriding reduction='sum'
    (None, True, "none"),      # -> mean, overriding reduction='none'
    (False, False, "sum"),     # -> none (reduce=False wins over size_average)
    (None, None, "sum"),       # the tutorial form: both None, reduction used as given, no warning
]


def enc(t):
    d = {"shape": list(t.shape), "data": t.flatten().tolist()}
    if not t.is_floating_point():
        d["dtype"] = "int"
    return d


def main():
    out = sys.argv[1]
    g = torch.Generator().manual_seed(0)
    rn = lambda *s: (torch.randn(*s, generator=g) * 2).float().double()
    ru = lambda *s: torch.rand(*s, generator=g).float().double()
    ri = lambda hi, *s: torch.randint(0, hi, s, generator=g)
    inputs = {
        "bce": lambda: (ru(3, 4).clamp(0.01, 0.99), ru(3, 4)),
        "bce_with_logits": lambda: (rn(3, 4), ru(3, 4)),
        "cross_entropy": lambda: (rn(4, 3), ri(3, 4)),
        "nll": lambda: (torch.log_softmax(rn(4, 3), 1), ri(3, 4)),
        "mse": lambda: (rn(3, 4), rn(3, 4)),
        "l1": lambda: (rn(3, 4), rn(3, 4)),
        "smooth_l1": lambda: (rn(3, 4), rn(3, 4)),
        "kl_div": lambda: (torch.log_softmax(rn(3, 4), 1), torch.softmax(rn(3, 4), 1)),
        "poisson_nll": lambda: (rn(3, 4), ri(5, 3, 4).double()),
        "soft_margin": lambda: (rn(3, 4), torch.sign(rn(3, 4))),
        "multilabel_soft_margin": lambda: (rn(3, 4), (ru(3, 4) > 0.5).double()),
        "multi_margin": lambda: (rn(4, 3) * 0.3, ri(3, 4)),
        "hinge_embedding": lambda: (rn(3, 4), torch.sign(rn(3, 4))),
    }
    cases = []
    for n, (loss, module) in enumerate(MODULES.items()):
        # Every loss gets three of the combinations, in turn, so all of them appear several times.
        for k in range(3):
            size_average, reduce, reduction = COMBOS[(3 * n + k) % len(COMBOS)]
            x, y = inputs[loss]()
            kwargs = {"size_average": size_average, "reduce": reduce}
            if reduction is not None:
                kwargs["reduction"] = reduction
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                m = module(**kwargs)
            x = x.detach().clone().requires_grad_(True)
            out_value = m(x, y)
            out_value.sum().backward()
            options = {"size_average": size_average, "reduce": reduce}
            if reduction is not None:
                options["reduction"] = reduction
            cases.append({
                "id": f"{loss}_sa{size_average}_r{reduce}_{reduction}".lower(), "loss": loss, "options": options,
                "input": enc(x.detach()), "target": enc(y),
                "legacy_reduction": m.reduction,
                "pytorch_warning": str(caught[0].message) if caught else None,
                "expected": {"value": enc(out_value.detach()), "grad_input": enc(x.grad)},
            })
    for loss, size_average, reduce in [("huber", False, None), ("sigmoid_focal", None, False)]:
        x, y = rn(3, 4), (ru(3, 4) > 0.5).double()
        option = "size_average" if size_average is not None else "reduce"
        cases.append({
            "id": f"err_{loss}_{option}", "loss": loss, "options": {option: size_average if size_average is not None else reduce},
            "input": enc(x), "target": enc(y),
            # nn.HuberLoss(size_average=False) is a TypeError; torchvision's sigmoid_focal_loss has no such keyword.
            "expected": {"error": f"{loss} has no option '{option}'"},
        })
    json.dump({"generator": f"PyTorch {torch.__version__}, Tests/LossesTests/Fixtures/make_legacy_reduction_cases.py",
               "tolerance": {"abs": 1e-5, "rel": 1e-4}, "cases": cases}, open(out, "w"), indent=None)
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
