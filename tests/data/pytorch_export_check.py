#!/usr/bin/env python3
"""Runs an exported model.py the way tests/engine/test_pytorch_export.cpp compares it with
NetLoom: python3 pytorch_export_check.py EXPORT_DIR BATCH.nlw OUT.nlw

BATCH.nlw holds "x.<role>" (an input batch per network) and, for supervised tasks, "x" and "y"
(a training batch). OUT.nlw receives "out.<role>" (each network's eval-mode output for its batch,
from the weights in EXPORT_DIR/weights.nlw) and "step.<role>.<key>" (every tensor after one
train_step of the script from those weights on x, y) and "grad.model.<key>" (the gradients of
that step). For a GAN (TARGET "none") the step is one discriminator_step on the real batch
"x.discriminator" with the noise "x.generator", then one generator_step; "step.discriminator.*"
is D after its step (the G step's forward through D then moves only D's BatchNorm statistics),
"step.generator.*" G after its step, and "grad.<role>.<key>" the gradients each update used."""
import importlib.util
import os
import sys

import numpy as np
import torch


def main():
    export_dir, batch_path, out_path = sys.argv[1:4]
    torch.set_num_threads(1)
    spec = importlib.util.spec_from_file_location("exported", os.path.join(export_dir, "model.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    # One step on a fixed batch compares the arithmetic: no random augmentation (NetLoom's side
    # clears training.augmentation too), as dropout is off.
    m.AUGMENTATION = []
    batch, _ = m.read_tensors(batch_path)
    models = {role: cls() for role, cls in m.NETWORKS.items()}
    m.load_weights(models, os.path.join(export_dir, "weights.nlw"))
    results = {}
    with torch.no_grad():
        for role, net in models.items():
            net.eval()
            results[f"out.{role}"] = net(torch.from_numpy(batch[f"x.{role}"])).numpy()
    if "x" in batch:
        model = models["model"]
        optimizer = m.make_optimizer(model, "model", m.OPTIMIZER)
        y = batch["y"].astype(np.int64 if m.TARGET in ("classes", "tokens") else np.float32)
        m.train_step(model, model, optimizer, torch.from_numpy(batch["x"]), torch.from_numpy(y))
        results.update({f"step.{k}": v for k, v in m.state_of(models).items()})
        results.update({f"grad.model.{k}": p.grad.numpy() for k, p in model.named_parameters()})
    if m.TARGET == "none":
        g, d = models["generator"], models["discriminator"]
        g_opt = m.make_optimizer(g, "generator", m.OPTIMIZER)
        d_opt = m.make_optimizer(d, "discriminator", m.GAN["d_optimizer"])
        g.train()
        d.train()
        _, fake = m.discriminator_step(g, d, d, d_opt, torch.from_numpy(batch["x.discriminator"]),
                                       torch.from_numpy(batch["x.generator"]))
        results.update({f"grad.discriminator.{k}": p.grad.numpy().copy()
                        for k, p in d.named_parameters()})
        results.update({f"step.{k}": v.copy() for k, v in m.state_of({"discriminator": d}).items()})
        m.generator_step(d, g, g_opt, fake)
        results.update({f"grad.generator.{k}": p.grad.numpy() for k, p in g.named_parameters()})
        results.update({f"step.{k}": v for k, v in m.state_of({"generator": g}).items()})
    m.write_tensors(out_path, results, {})


if __name__ == "__main__":
    main()
