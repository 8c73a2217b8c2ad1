#!/usr/bin/python3
"""Reference learning rates for tests/engine/test_lr_schedule.cpp, computed by
torch.optim.lr_scheduler (Debian python3-torch 1.13) over a run of 12 epochs of 5 steps, base
rate 0.1 (SGD). Each case is stepped the way NetLoom applies it (engine/optim/lr_schedule.h):
StepLR/ExponentialLR once per epoch, CosineAnnealingWarmRestarts with the fractional epoch,
CosineAnnealingLR/OneCycleLR and the LinearLR warm-up (SequentialLR) once per step.
Writes tests/data/lr_schedule_reference.json. Regenerate with:
  /usr/bin/python3 tests/data/lr_schedule_reference.py"""
import json, os, torch
from torch.optim import SGD, lr_scheduler as S

EPOCHS, SPE, BASE = 12, 5, 0.1

def opt():
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE)

def per_epoch(make):
    o = opt(); s = make(o); out = []
    for e in range(EPOCHS):
        for i in range(SPE):
            out.append(o.param_groups[0]["lr"]); o.step()
        s.step()
    return out

def per_step(make):
    o = opt(); s = make(o); out = []
    for t in range(EPOCHS * SPE):
        out.append(o.param_groups[0]["lr"]); o.step(); s.step()
    return out

def restarts(t0, mult, eta_min):
    o = opt(); s = S.CosineAnnealingWarmRestarts(o, T_0=t0, T_mult=mult, eta_min=eta_min); out = []
    for e in range(EPOCHS):
        for i in range(SPE):
            s.step(e + i / SPE); out.append(o.param_groups[0]["lr"]); o.step()
    return out

N = EPOCHS * SPE
cases = [
    ({"type": "step", "step_size": 3, "gamma": 0.5}, per_epoch(lambda o: S.StepLR(o, 3, 0.5))),
    ({"type": "exponential", "gamma": 0.8}, per_epoch(lambda o: S.ExponentialLR(o, 0.8))),
    ({"type": "cosine", "period": 0, "min_lr": 0.001},
     per_step(lambda o: S.CosineAnnealingLR(o, T_max=N, eta_min=0.001))),
    ({"type": "cosine", "period": 3, "period_multiplier": 1, "min_lr": 0.0}, restarts(3, 1, 0.0)),
    ({"type": "cosine", "period": 2, "period_multiplier": 2, "min_lr": 0.001}, restarts(2, 2, 0.001)),
    ({"type": "one_cycle", "max_lr": 0.5, "pct_start": 0.25, "div_factor": 10.0,
      "final_div_factor": 100.0},
     per_step(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=N, pct_start=0.25,
                                     div_factor=10.0, final_div_factor=100.0,
                                     cycle_momentum=False))),
    ({"type": "one_cycle", "max_lr": 0.0},  # 0: the optimizer's rate is the peak
     per_step(lambda o: S.OneCycleLR(o, max_lr=BASE, total_steps=N, cycle_momentum=False))),
    ({"type": "cosine", "period": 0, "min_lr": 0.001, "warmup": 2, "warmup_unit": "epochs",
      "warmup_start_factor": 0.1},
     per_step(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=2 * SPE),
                                           S.CosineAnnealingLR(o, T_max=N - 2 * SPE, eta_min=0.001)],
                                       milestones=[2 * SPE]))),
    ({"type": "step", "step_size": 3, "gamma": 0.5, "warmup": 7, "warmup_unit": "steps",
      "warmup_start_factor": 0.25},
     per_step(lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.25, total_iters=7),
                                           S.StepLR(o, step_size=3 * SPE, gamma=0.5)],
                                       milestones=[7]))),
]
out = {"epochs": EPOCHS, "steps_per_epoch": SPE, "base_lr": BASE,
       "cases": [{"schedule": c, "lr": v} for c, v in cases]}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lr_schedule_reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
