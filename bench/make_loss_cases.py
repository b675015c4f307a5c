#!/usr/bin/env python3
"""Write extra loss cases in the shared golden format, computed by PyTorch (float64
from float32-representable inputs), for checking `trainboard losses eval` beyond
the shared golden file. Never needed by the tests.

usage: make_loss_cases.py OUT.json [--seed N]
then:  trainboard losses eval OUT.json > r.json && python3 ../shared/golden/check.py OUT.json r.json
"""
import itertools, json, sys
import torch
import torch.nn.functional as F

def enc(t):
    d = {"shape": list(t.shape), "data": t.flatten().tolist()}
    if not t.is_floating_point():
        d["dtype"] = "int"
    return d

def f32(t):
    return t.float().double()

def focal(x, y, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    pt = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - pt) ** gamma)
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]

FN = {
    "bce": lambda x, y, o: F.binary_cross_entropy(x, y, **o),
    "bce_with_logits": lambda x, y, o: F.binary_cross_entropy_with_logits(x, y, **o),
    "sigmoid_focal": lambda x, y, o: focal(x, y, **o),
    "cross_entropy": lambda x, y, o: F.cross_entropy(x, y, **o),
    "nll": lambda x, y, o: F.nll_loss(x, y, **o),
    "mse": lambda x, y, o: F.mse_loss(x, y, **o),
    "l1": lambda x, y, o: F.l1_loss(x, y, **o),
    "smooth_l1": lambda x, y, o: F.smooth_l1_loss(x, y, **o),
    "huber": lambda x, y, o: F.huber_loss(x, y, **o),
    "kl_div": lambda x, y, o: F.kl_div(x, y, **o),
    "soft_margin": lambda x, y, o: F.soft_margin_loss(x, y, **o),
    "multilabel_soft_margin": lambda x, y, o: F.multilabel_soft_margin_loss(x, y, **o),
    "multi_margin": lambda x, y, o: F.multi_margin_loss(x, y, **o),
    "hinge_embedding": lambda x, y, o: F.hinge_embedding_loss(x, y, **o),
    "poisson_nll": lambda x, y, o: F.poisson_nll_loss(x, y, **o),
}

def make(cases, cid, loss, opts, x, y):
    x = x.detach().clone().requires_grad_(True)
    topts = {k: (v.double() if torch.is_tensor(v) else v) for k, v in opts.items()}
    case = {"id": cid, "loss": loss, "options": {k: (enc(v) if torch.is_tensor(v) else v) for k, v in opts.items()},
            "input": enc(x.detach()), "target": enc(y)}
    try:
        out = FN[loss](x, y, topts)
        out.sum().backward()
        if not (torch.isfinite(out).all() and torch.isfinite(x.grad).all()):
            return  # check.py cannot match NaN/inf expectations
        case["expected"] = {"value": enc(out.detach()), "grad_input": enc(x.grad)}
    except Exception as e:  # noqa: BLE001
        case["expected"] = {"error": ""}
    cases.append(case)

def main():
    out = sys.argv[1]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    g = torch.Generator().manual_seed(seed)
    rn = lambda *s: f32(torch.randn(*s, generator=g) * 2)
    ru = lambda *s: f32(torch.rand(*s, generator=g))
    ri = lambda hi, *s: torch.randint(0, hi, s, generator=g)
    cases = []
    reds = ["none", "mean", "sum"]
    shapes = [(7,), (4, 5), (2, 3, 4)]
    for red, shape in itertools.product(reds, shapes):
        tag = f"{red}_{'x'.join(map(str, shape))}"
        C = shape[-1]
        make(cases, f"bce_{tag}", "bce", {"reduction": red}, ru(*shape).clamp(0.01, 0.99), ru(*shape))
        make(cases, f"bce_w_{tag}", "bce", {"reduction": red, "weight": ru(C)}, ru(*shape).clamp(0.01, 0.99), (ru(*shape) > 0.5).double())
        make(cases, f"bcel_{tag}", "bce_with_logits", {"reduction": red, "weight": ru(C), "pos_weight": ru(C) * 3}, rn(*shape), ru(*shape))
        make(cases, f"bcel_pw_{tag}", "bce_with_logits", {"reduction": red, "pos_weight": ru(*shape) * 3}, rn(*shape), (ru(*shape) > 0.5).double())
        for a, gm in [(0.25, 2.0), (-1.0, 0.0), (0.7, 1.5)]:
            make(cases, f"focal_{a}_{gm}_{tag}", "sigmoid_focal", {"reduction": red, "alpha": a, "gamma": gm}, rn(*shape), (ru(*shape) > 0.5).double())
        for loss, extra in [("mse", {}), ("l1", {}), ("smooth_l1", {"beta": 0.0}), ("smooth_l1", {"beta": 2.0}), ("smooth_l1", {}),
                            ("huber", {}), ("huber", {"delta": 0.3}), ("soft_margin", {}),
                            ("poisson_nll", {"log_input": False, "full": True}), ("poisson_nll", {"full": True, "eps": 1e-3})]:
            o = dict(extra, reduction=red)
            name = loss + "_" + "_".join(f"{k}{v}" for k, v in extra.items())
            tgt = ri(5, *shape).double() if loss == "poisson_nll" else (torch.sign(rn(*shape)) if loss == "soft_margin" else rn(*shape))
            inp = ru(*shape) * 3 if (loss == "poisson_nll" and extra.get("log_input") is False) else rn(*shape)
            make(cases, f"{name}_{tag}", loss, o, inp, tgt)
            make(cases, f"{name}_bcast_{tag}", loss, o, inp, tgt[..., :1] if len(shape) > 1 else tgt[:1])
        make(cases, f"hinge_{tag}", "hinge_embedding", {"reduction": red, "margin": 0.5}, rn(*shape), torch.sign(rn(*shape)))
        make(cases, f"mlsm_{tag}", "multilabel_soft_margin", {"reduction": red}, rn(*shape), (ru(*shape) > 0.5).double())
        make(cases, f"mlsm_w_{tag}", "multilabel_soft_margin", {"reduction": red, "weight": ru(C)}, rn(*shape), (ru(*shape) > 0.5).double())
    for red in reds + ["batchmean"]:
        for lt in [False, True]:
            t = torch.log_softmax(rn(4, 5), 1) if lt else torch.softmax(rn(4, 5), 1)
            t[0, 0] = (-float("inf") if False else t[0, 0])
            make(cases, f"kl_{red}_{lt}", "kl_div", {"reduction": red, "log_target": lt}, torch.log_softmax(rn(4, 5), 1), t)
        z = torch.softmax(rn(4, 5), 1); z[1, 2] = 0.0
        make(cases, f"kl_zero_{red}", "kl_div", {"reduction": red}, torch.log_softmax(rn(4, 5), 1), z)
    # classification
    for red in reds:
        for shape, tshape in [((5,), ()), ((6, 5), (6,)), ((2, 5, 3), (2, 3)), ((2, 4, 3, 2), (2, 3, 2))]:
            C = shape[0] if len(shape) == 1 else shape[1]
            tag = f"{red}_{'x'.join(map(str, shape))}"
            for w, ii, ls in itertools.product([None, "w"], [-100, 1], [0.0, 0.3]):
                o = {"reduction": red, "ignore_index": ii, "label_smoothing": ls}
                if w: o["weight"] = ru(C) + 0.1
                tgt = ri(C, *tshape)
                make(cases, f"ce_{w}_{ii}_{ls}_{tag}", "cross_entropy", o, rn(*shape), tgt)
                if ls == 0.0:
                    o2 = dict(o); del o2["label_smoothing"]
                    make(cases, f"nll_{w}_{ii}_{tag}", "nll", o2, torch.log_softmax(rn(*shape), 0 if len(shape) == 1 else 1), tgt)
            for w, ls in itertools.product([None, "w"], [0.0, 0.2]):
                o = {"reduction": red, "label_smoothing": ls}
                if w: o["weight"] = ru(C)
                make(cases, f"ce_prob_{w}_{ls}_{tag}", "cross_entropy", o, rn(*shape), torch.softmax(rn(*shape), 0 if len(shape) == 1 else 1))
        for p, m, w in itertools.product([1, 2], [1.0, 0.4], [None, "w"]):
            o = {"reduction": red, "p": p, "margin": m}
            if w: o["weight"] = ru(5)
            make(cases, f"mm_{p}_{m}_{w}_{red}", "multi_margin", o, rn(6, 5) * 0.3, ri(5, 6))
            make(cases, f"mm1d_{p}_{m}_{w}_{red}", "multi_margin", o, rn(5) * 0.3, ri(5))
    # large inputs: exercise the vector and multi-threaded paths
    for red in reds:
        make(cases, f"big_bcel_{red}", "bce_with_logits", {"reduction": red, "pos_weight": ru(7) * 2, "weight": ru(1, 7)},
             rn(10001, 7) * 3, (ru(10001, 7) > 0.5).double())
        make(cases, f"big_ce_{red}", "cross_entropy", {"reduction": red, "weight": ru(1000) + 0.1, "label_smoothing": 0.1},
             rn(97, 1000) * 2, ri(1000, 97))
        make(cases, f"big_ce_kdim_{red}", "cross_entropy", {"reduction": red}, rn(9, 10, 401), ri(10, 9, 401))
        make(cases, f"big_mse_{red}", "mse", {"reduction": red}, rn(70001), rn(70001))
    # integer targets: promoted where PyTorch promotes them, rejected elsewhere
    for loss in ["mse", "l1", "smooth_l1", "poisson_nll", "soft_margin", "multilabel_soft_margin", "hinge_embedding",
                 "bce_with_logits", "huber", "kl_div"]:
        make(cases, f"int_target_{loss}", loss, {"reduction": "mean"}, rn(3, 4), ri(3, 3, 4) - 1)
    # errors
    make(cases, "err_ce_oob", "cross_entropy", {}, rn(3, 4), torch.tensor([0, 4, 1]))
    make(cases, "err_ce_neg", "cross_entropy", {}, rn(3, 4), torch.tensor([0, -1, 1]))
    make(cases, "err_ce_wlen", "cross_entropy", {"weight": ru(3)}, rn(3, 4), torch.tensor([0, 2, 1]))
    make(cases, "err_ce_tshape", "cross_entropy", {}, rn(3, 4), torch.tensor([0, 2]))
    make(cases, "err_nll_float", "nll", {}, rn(3, 4), ru(3))
    make(cases, "err_bcel_shape", "bce_with_logits", {}, rn(3, 4), ru(4))
    make(cases, "err_mse_shape", "mse", {}, rn(3, 4), ru(3))
    make(cases, "err_mm_p3", "multi_margin", {"p": 3}, rn(3, 4), torch.tensor([0, 2, 1]))
    make(cases, "err_huber_delta", "huber", {"delta": 0.0}, rn(3), rn(3))
    make(cases, "err_bce_target", "bce", {}, ru(3), ru(3) + 2)
    json.dump({"generator": f"PyTorch {torch.__version__}, bench/make_loss_cases.py seed {seed}",
               "tolerance": {"abs": 1e-5, "rel": 1e-4}, "cases": cases}, open(out, "w"))
    print(f"wrote {len(cases)} cases to {out}")

if __name__ == "__main__":
    main()
