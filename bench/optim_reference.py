#!/usr/bin/env python3
"""Reference numbers for Tests/TrainingTests/{OptimizerTests,SchedulerTests}.swift.

Run `python3 bench/optim_reference.py` and paste the printed Swift literals into
the tests (the tests never run torch). Everything here is float32 on the CPU
with `foreach=False`, i.e. PyTorch's single-tensor reference path.

Optimizer problem (mirrored in OptimizerTests.swift):
  w: [2, 3] starting at W0, gradient g = 2·(w − T) + 0.1·w³
  b: [2]    starting at B0, gradient g = b − 1
  f: [2]    never receives a gradient (skipped; still numbered 2 in state)
"""
import math
import torch

W0 = [[0.5, -1.2, 2.0], [0.1, 0.0, -0.7]]
T = [[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]
B0 = [0.3, -0.4]
STEPS = 5


def fmt(xs):
    return "[" + ", ".join(f"{x:.9g}" for x in xs) + "]"


def params():
    w = torch.tensor(W0, dtype=torch.float32, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float32, requires_grad=True)
    f = torch.zeros(2, dtype=torch.float32, requires_grad=True)
    return w, b, f


def set_grads(w, b):
    t = torch.tensor(T, dtype=torch.float32)
    with torch.no_grad():
        w.grad = 2 * (w - t) + 0.1 * w ** 3
        b.grad = b - 1


OPTIMIZERS = {
    "sgdPlain": lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=False),
    "sgdMomentumDampening": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.2, foreach=False),
    "sgdNesterovWeightDecay": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01, foreach=False),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.1, foreach=False),
    "adamAmsgradWeightDecay": lambda ps: torch.optim.Adam(ps, lr=0.1, amsgrad=True, weight_decay=0.05, foreach=False),
    "adamW": lambda ps: torch.optim.AdamW(ps, lr=0.1, foreach=False),
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=0.01, foreach=False),
    "rmspropCenteredMomentum": lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.9, centered=True, weight_decay=0.01, foreach=False),
}


def optimizer_references():
    print("// Optimizer trajectories: after each of 5 steps, w (6 values) then b (2 values).")
    for name, make in OPTIMIZERS.items():
        w, b, f = params()
        opt = make([w, b, f])
        rows = []
        for _ in range(STEPS):
            opt.zero_grad()
            set_grads(w, b)
            opt.step()
            rows.append(w.detach().flatten().tolist() + b.detach().tolist())
        print(f"static let {name}: [[Float]] = [")
        for r in rows:
            print(f"    {fmt(r)},")
        print("]")
        state = opt.state_dict()["state"]
        print(f"// {name} state keys: " + ", ".join(f"{i}.{k}" for i, s in sorted(state.items()) for k in sorted(s)))


def clip_references():
    print("// clip_grad_norm_ on g1 = [[3, -4], [1, 2]], g2 = [-2, 0.5]")
    for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (2.0, math.inf), (5.0, 1.0)]:
        a = torch.zeros(2, 2, requires_grad=True)
        c = torch.zeros(2, requires_grad=True)
        a.grad = torch.tensor([[3.0, -4.0], [1.0, 2.0]])
        c.grad = torch.tensor([-2.0, 0.5])
        total = torch.nn.utils.clip_grad_norm_([a, c], max_norm, norm_type=norm_type)
        print(f"// maxNorm {max_norm} normType {norm_type}: total {total.item():.9g}, "
              f"grads {fmt(a.grad.flatten().tolist() + c.grad.tolist())}")


def lrs(make, n, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    sched = make(opt)
    out = [opt.param_groups[0]["lr"]]
    moms = [opt.param_groups[0]["momentum"]]
    for i in range(n):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        out.append(opt.param_groups[0]["lr"])
        moms.append(opt.param_groups[0]["momentum"])
    return out, moms


def scheduler_references():
    S = torch.optim.lr_scheduler
    print("// Scheduler sequences, base lr 0.1: element t is the lr after t calls to step().")
    cases = {
        "stepLR": (lambda o: S.StepLR(o, step_size=3, gamma=0.5), 10),
        "multiStepLR": (lambda o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.1), 8),
        "exponentialLR": (lambda o: S.ExponentialLR(o, gamma=0.9), 6),
        "cosineAnnealingLR": (lambda o: S.CosineAnnealingLR(o, T_max=6, eta_min=0.01), 14),
        "linearLR": (lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4), 7),
        "linearLRDefault": (lambda o: S.LinearLR(o), 7),
    }
    for name, (make, n) in cases.items():
        out, _ = lrs(make, n)
        print(f"static let {name}: [Double] = {fmt(out)}")
    out, moms = lrs(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10), 9)
    print(f"static let oneCycle: [Double] = {fmt(out)}")
    print(f"static let oneCycleMomentum: [Double] = {fmt(moms)}")
    out, moms = lrs(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=12, pct_start=0.25, anneal_strategy="linear",
                                           three_phase=True, div_factor=10, final_div_factor=100), 11)
    print(f"static let oneCycleThreePhaseLinear: [Double] = {fmt(out)}")
    print(f"static let oneCycleThreePhaseLinearMomentum: [Double] = {fmt(moms)}")
    m1 = [1.0, 0.9, 0.95, 0.91, 0.92, 0.9, 0.89999, 0.95, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    out, _ = lrs(lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=0.02), len(m1), m1)
    print(f"// plateau min metrics {fmt(m1)}")
    print(f"static let plateauMin: [Double] = {fmt(out)}")
    m2 = [0.5, 0.6, 0.65, 0.62, 0.655, 0.7, 0.7, 0.69, 0.705, 0.72]  # no ties at the threshold (float32 vs double)
    out, _ = lrs(lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.1, patience=1, threshold=0.01,
                                               threshold_mode="abs"), len(m2), m2)
    print(f"// plateau max/abs metrics {fmt(m2)}")
    print(f"static let plateauMaxAbs: [Double] = {fmt(out)}")


if __name__ == "__main__":
    torch.set_default_dtype(torch.float32)
    optimizer_references()
    clip_references()
    scheduler_references()
