// The training script written by exportPyTorch() (pytorch_exporter.cpp), with @NAME@ holes the
// exporter fills. Kept as one readable Python text: edit it as Python.
#include "engine/export/pytorch_script.h"

namespace netloom::engine {

const char* pytorchScriptTemplate() {
    return R"PY(#!/usr/bin/env python3
"""@TITLE@: a NetLoom project exported as a PyTorch training script.

  python3 model.py [--epochs N] [--steps N]                   one process
  torchrun --nproc_per_node=N model.py [--epochs N] [--steps N]   N processes (DDP, gloo, CPU)

The global batch (@BATCH@) is split across the processes, so N processes with @BATCH@/N samples
each take the same optimizer step as one process with the whole batch (DDP averages the
gradients). The batches come in NetLoom's own order (order.nlw, when the export wrote it; else,
or with --order shuffle, DistributedSampler's), the learning rate follows the project's
schedule step by step, and training batches pass through the project's augmentation.
Training starts from weights.nlw (the project's weights as NetLoom exported them);
at the end rank 0 writes trained.nlw, which `netloom import-weights PROJECT trained.nlw --save
OUT.netloom` or File > Import weights... reads back into the project. Importable: the networks,
load_data(), loss_fn(), make_optimizer() and train_step() serve tests and notebooks too.
"""
import argparse
import gzip
import json
import math
import os
import struct

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

HERE = os.path.dirname(os.path.abspath(__file__))

# ---- The project's settings (NetLoom's names) ----
TARGET = "@TARGET@"  # what the loss compares with: classes | values | inputs | tokens | none (GAN)
LOSS = "@LOSS@"
BATCH_SIZE = @BATCH@
EPOCHS = @EPOCHS@
SEED = @SEED@
INPUT_NOISE = @INPUT_NOISE@  # reconstruction: std of noise on training inputs (denoising)
OPTIMIZER = json.loads(r"""@OPTIMIZER@""")
DATASET = json.loads(r"""@DATASET@""")
GAN = json.loads(r"""@GAN@""")
# The learning-rate schedule (NetLoom's training.schedule; scheduled_rate() below).
SCHEDULE = json.loads(r"""@SCHEDULE@""")
# Augmentation of training batches, in order (NetLoom's training.augmentation; augment() below).
AUGMENTATION = json.loads(r"""@AUGMENTATION@""")

# ---- The networks, layer by layer in NetLoom's order ----
@NETWORKS@
NETWORKS = @NETWORK_CLASSES@
# Parameters NetLoom exempts from weight decay, L1 and L2 (biases, normalization scales/shifts).
NO_DECAY = json.loads(r"""@NO_DECAY@""")
# Transfer learning: parameters whose layer learns at lr × this (NetLoom's per-layer multiplier);
# 0 = frozen (requires_grad off, in no optimizer group). Absent = 1.
LR_MULTIPLIERS = json.loads(r"""@LR_MULTIPLIERS@""")


# ---- NetLoom tensor files: "NLTENSOR", header length (u64 LE), JSON header, float32 data ----
def read_tensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    if blob[:8] != b"NLTENSOR":
        raise SystemExit(f"{path}: not a NetLoom tensor file")
    (size,) = struct.unpack("<Q", blob[8:16])
    header = json.loads(blob[16:16 + size])
    data = blob[16 + size:]
    tensors = {}
    for t in header["tensors"]:
        count = int(np.prod(t["shape"])) if t["shape"] else 1
        a = np.frombuffer(data, dtype="<f4", count=count, offset=t["offset"])
        tensors[t["name"]] = a.reshape(t["shape"]).astype(np.float32)
    return tensors, header.get("meta", {})


def write_tensors(path, tensors, meta):
    index, chunks, offset = [], [], 0
    for name, value in tensors.items():
        a = np.ascontiguousarray(value, dtype="<f4")
        index.append({"name": name, "shape": list(a.shape), "offset": offset})
        chunks.append(a.tobytes())
        offset += a.nbytes
    header = json.dumps({"format": "netloom-tensors", "version": 1, "meta": meta,
                         "tensors": index}).encode()
    with open(path + ".tmp", "wb") as f:
        f.write(b"NLTENSOR" + struct.pack("<Q", len(header)) + header)
        for chunk in chunks:
            f.write(chunk)
    os.replace(path + ".tmp", path)


def state_of(models):
    """The weights as the tensor file names them: "<role>.<state_dict key>"."""
    return {f"{role}.{key}": value.detach().cpu().numpy()
            for role, model in models.items()
            for key, value in model.state_dict().items()
            if not key.endswith("num_batches_tracked")}


def load_weights(models, path):
    tensors, _ = read_tensors(path)
    with torch.no_grad():
        for role, model in models.items():
            for key, value in model.state_dict().items():
                if key.endswith("num_batches_tracked"):
                    continue
                name = f"{role}.{key}"
                if name not in tensors:
                    raise SystemExit(f"{path}: has no tensor '{name}'")
                if tuple(tensors[name].shape) != tuple(value.shape):
                    raise SystemExit(f"{path}: '{name}' is {tuple(tensors[name].shape)}, "
                                     f"the network wants {tuple(value.shape)}")
                value.copy_(torch.from_numpy(tensors[name]))


# ---- Data, converted exactly as NetLoom converts it ----
def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        blob = f.read()
    ndim = blob[3]
    dims = struct.unpack(">" + "I" * ndim, blob[4:4 + 4 * ndim])
    return np.frombuffer(blob, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def read_text(path, max_line, max_vocabulary):
    """(vocabulary, x, y) of a text file as NetLoom's text reader reads it: every non-blank
    line is a sample of characters (a UTF-8 byte order mark and a '\r' before '\n' are not
    content); the vocabulary is <pad>, <s>, </s>, then the distinct characters in code-point
    order; x is <s> + the line's ids, padded to max_line + 1 steps, y the next token at every
    step (the line's ids, then </s>, then <pad>). x float32 (ids, as NetLoom's Embedding reads
    them), y int64."""
    d = DATASET
    with open(path, "rb") as f:
        blob = f.read()
    if not blob:
        raise SystemExit(f"{path} is empty: a text dataset needs lines of text")
    if b"\0" in blob:
        raise SystemExit(f"{path} looks like a binary file, not text: it has a NUL byte")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SystemExit(f"{path} is not valid UTF-8 text ({e})")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if len(line) > max_line:
            raise SystemExit(f"{path} line {number} has {len(line)} characters, over the limit of "
                             f"{max_line} per line")
        if line:
            lines.append(line)
    if not lines:
        raise SystemExit(f"{path} has no text: every line is blank")
    vocabulary = ["<pad>", "<s>", "</s>"] + sorted(set("".join(lines)))
    if len(vocabulary) > max_vocabulary:
        raise SystemExit(f"{path} has a vocabulary of {len(vocabulary)}, over the limit of "
                         f"{max_vocabulary}")
    ids = {ch: i for i, ch in enumerate(vocabulary)}
    steps = max_line + 1
    x = np.full((len(lines), steps), d["pad"], dtype=np.float32)
    y = np.full((len(lines), steps), d["pad"], dtype=np.int64)
    for i, line in enumerate(lines):
        codes = [ids[ch] for ch in line]
        x[i, 0] = d["start"]
        x[i, 1:len(codes) + 1] = codes
        y[i, :len(codes)] = codes
        y[i, len(codes)] = d["end"]
    return vocabulary, x, y


def load_data():
    """(train_x, train_y, test_x, test_y) as numpy arrays: x float32 {N, sample...}; y int64
    class labels or next tokens, or float32 targets."""
    d = DATASET
    if d["kind"] == "text":  # NetLoom's split of the lines, by line number
        _, x, y = read_text(d["path"], d["max_line"], d["max_vocabulary"])
        split, _ = read_tensors(os.path.join(HERE, d["split"]))
        train, test = (split[k].astype(np.int64) for k in ("train_lines", "test_lines"))
        if len(x) <= max(train.max(initial=0), test.max(initial=0)):
            raise SystemExit(f"{d['path']} has {len(x)} lines, fewer than when it was exported")
        return x[train], y[train], x[test], y[test]
    if d["kind"] == "idx":
        def images(path, limit):
            x = read_idx(path)
            x = x[:limit] if limit else x
            x = x.astype(np.float32) * np.float32(d["scale"]) + np.float32(d["offset"])
            return x.reshape((len(x),) + tuple(d["sample_shape"]))

        def labels(path, limit):
            y = read_idx(path).astype(np.int64)
            return y[:limit] if limit else y

        return (images(d["train_images"], d["limit_train"]),
                labels(d["train_labels"], d["limit_train"]),
                images(d["test_images"], d["limit_test"]),
                labels(d["test_labels"], d["limit_test"]))
    t, _ = read_tensors(os.path.join(HERE, d["file"]))
    y_type = np.int64 if TARGET == "classes" else np.float32
    return t["train_x"], t["train_y"].astype(y_type), t["test_x"], t["test_y"].astype(y_type)


# ---- Loss ----
def loss_fn(out, x, y):
    """The project's loss of outputs `out` for inputs x (clean) and labels/targets y."""
    if TARGET == "tokens":
        return token_loss(out, y)
    if TARGET == "classes":
        target = y
    elif TARGET == "inputs":
        target = x.reshape(out.shape)
    else:
        target = y.reshape(out.shape)
    if LOSS == "cross_entropy":
        return F.cross_entropy(out, target)
    if LOSS == "bce":
        return F.binary_cross_entropy(out, target)
    if LOSS == "bce_logits":
        return F.binary_cross_entropy_with_logits(out, target)
    if LOSS == "mse":
        return F.mse_loss(out, target)
    if LOSS == "l1":
        return F.l1_loss(out, target)
    raise SystemExit(f"loss '{LOSS}' is not supported by this script")


def token_loss(out, y):
    """Sequence generation's loss: cross-entropy of the logits {N, T, vocabulary} against the
    next token at every step, padding left out, averaged over the batch's real tokens."""
    target = y.reshape(-1)
    total = F.cross_entropy(out.reshape(target.numel(), -1), target,
                            ignore_index=DATASET["pad"], reduction="sum")
    count = (target != DATASET["pad"]).sum().to(total.dtype)
    if dist.is_available() and dist.is_initialized() and out.requires_grad:
        # DDP averages the processes' gradients; dividing each process's sum by the global
        # batch's token count over the number of processes makes that average NetLoom's mean
        # over every real token of the global batch (the halves hold different token counts).
        dist.all_reduce(count)
        return total * dist.get_world_size() / count.clamp(min=1)
    return total / count.clamp(min=1)


# ---- Optimizers ----
class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023) as NetLoom runs it: c = b1*m + (1-b1)*g;
    w <- w*(1 - lr*wd) - lr*sign(c); m <- b2*m + (1-b2)*g."""

    def __init__(self, params, lr, betas, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                m = self.state[p].setdefault("exp_avg", torch.zeros_like(p))
                c = m * b1 + p.grad * (1 - b1)
                p.mul_(1 - group["lr"] * group["weight_decay"]).add_(torch.sign(c),
                                                                      alpha=-group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)


def make_optimizer(model, role, cfg):
    no_decay = set(NO_DECAY[role])
    mult = LR_MULTIPLIERS[role]
    kind, lr = cfg["type"], cfg["lr"]
    named = list(model.named_parameters())
    for k, p in named:
        if mult.get(k, 1.0) == 0.0:
            p.requires_grad_(False)  # frozen: no gradient, no optimizer state
    groups = []
    for m in sorted({mult.get(k, 1.0) for k, _ in named} - {0.0}):
        for decayed in (True, False):
            params = [p for k, p in named if mult.get(k, 1.0) == m and (k not in no_decay) == decayed]
            if params or m == 1.0:
                groups.append({"params": params, "lr": lr * m, "lr_mult": m,
                               "weight_decay": cfg["weight_decay"] if decayed else 0.0})
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=cfg["momentum"],
                               dampening=cfg["dampening"], nesterov=cfg["nesterov"])
    if kind == "adam":
        return torch.optim.Adam(groups, lr=lr, betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"])
    if kind == "adamw":
        return torch.optim.AdamW(groups, lr=lr, betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=cfg["alpha"], eps=cfg["eps"],
                                   momentum=cfg["momentum"])
    if kind == "lion":
        return Lion(groups, lr=lr, betas=(cfg["beta1"], cfg["beta2"]))
    raise SystemExit(f"optimizer '{kind}' is not supported by this script")


# ---- Learning-rate schedule, as NetLoom computes it (engine/optim/lr_schedule.cpp) ----
def scheduled_rate(step, steps_per_epoch, epochs):
    """The learning rate of global step `step` (0-based: the steps done before it) of a run of
    `epochs` epochs. torch.optim.lr_scheduler's formulas, written out so that the rate is a
    function of the step like NetLoom's: StepLR and ExponentialLR change once per epoch,
    CosineAnnealingWarmRestarts is stepped with the fractional epoch (period > 0; period 0 =
    CosineAnnealingLR over the whole run, per step), OneCycleLR per step, and a LinearLR warm-up
    in front of any of them (SequentialLR)."""
    s, base = SCHEDULE, OPTIMIZER["lr"]
    spe = max(steps_per_epoch, 1)
    warmup = s["warmup"] if s["warmup_unit"] == "steps" else s["warmup"] * spe
    length = max(epochs * spe - warmup, 1)
    if step < warmup:  # LinearLR: scales the schedule's first rate
        factor = s["warmup_start_factor"] + (1 - s["warmup_start_factor"]) * step / warmup
        return factor * schedule_rate(base, 0, length, spe)
    return schedule_rate(base, step - warmup, length, spe)


def schedule_rate(base, u, length, spe):
    """The schedule after the warm-up, u steps into it; `length` steps long."""
    s, epoch = SCHEDULE, u // spe
    if s["type"] == "step":
        return base * s["gamma"] ** (epoch // s["step_size"])
    if s["type"] == "exponential":
        return base * s["gamma"] ** epoch
    if s["type"] == "cosine":
        if s["period"] == 0:  # CosineAnnealingLR, T_max = the whole schedule
            t_cur, t_i = u, length
        else:  # CosineAnnealingWarmRestarts.step(epoch + i / iters)
            e, t0, m = u / spe, s["period"], s["period_multiplier"]
            if m == 1:
                t_cur, t_i = math.fmod(e, t0), t0
            else:
                n = math.floor(math.log(e / t0 * (m - 1) + 1) / math.log(m))
                t_cur, t_i = e - t0 * (m ** n - 1) / (m - 1), t0 * m ** n
        return s["min_lr"] + (base - s["min_lr"]) * (1 + math.cos(math.pi * t_cur / t_i)) / 2
    if s["type"] == "one_cycle":
        def anneal(start, end, pct):
            return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)
        peak = s["max_lr"] if s["max_lr"] > 0 else base
        initial = peak / s["div_factor"]
        lowest = initial / s["final_div_factor"]
        end1, end2 = s["pct_start"] * length - 1, length - 1
        if u <= end1:
            return anneal(initial, peak, u / end1)
        return anneal(peak, lowest, min(1.0, (u - end1) / (end2 - end1)))
    return base  # constant


def set_rate(optimizer, rate):
    """Every group learns at `rate` times its layer's multiplier (transfer learning)."""
    for group in optimizer.param_groups:
        group["lr"] = rate * group["lr_mult"]


# ---- Augmentation, as NetLoom's transforms do it (engine/data/transforms) ----
# Each takes and returns a batch {N, C, H, W}; randomness from torch's generator (seeded per
# process), so the draws are not NetLoom's, their distributions are.
def crop(x, padding, fill, offsets):
    """Pads every image by `padding` pixels of `fill` and cuts the window of its size at
    (dx, dy) = offsets[i] (each 0..2*padding): a shift, the same for all channels."""
    h, w = x.shape[-2:]
    padded = F.pad(x, (padding, padding, padding, padding), value=fill)
    return torch.stack([padded[i, :, dy:dy + h, dx:dx + w]
                        for i, (dx, dy) in enumerate(offsets)])


def random_crop(x, padding, fill):
    offsets = torch.randint(0, 2 * int(padding) + 1, (len(x), 2)).tolist()
    return crop(x, int(padding), fill, offsets)


def horizontal_flip(x, p):
    flip = torch.rand(len(x)) < p  # one draw per image
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def rotate_zoom(x, degrees, scales, fill):
    """Rotates image i by degrees[i] (counter-clockwise as seen) and scales it by scales[i]
    about its centre, bilinear, `fill` outside: for every output pixel p the value at
    c + R(-a)·(p - c) / scale of the input (in float64, as NetLoom)."""
    n, _, h, w = x.shape
    cos_a = torch.tensor([math.cos(d * math.pi / 180.0) / s for d, s in zip(degrees, scales)],
                         dtype=torch.float64)[:, None, None]
    sin_a = torch.tensor([math.sin(d * math.pi / 180.0) / s for d, s in zip(degrees, scales)],
                         dtype=torch.float64)[:, None, None]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float64),
                            torch.arange(w, dtype=torch.float64), indexing="ij")
    dx, dy = xs - cx, ys - cy
    sx, sy = cx + cos_a * dx - sin_a * dy, cy + sin_a * dx + cos_a * dy  # {N, H, W}
    fx, fy = sx.floor(), sy.floor()
    tx, ty = (sx - fx)[:, None], (sy - fy)[:, None]
    x0, y0 = fx.long(), fy.long()
    rows = torch.arange(n)[:, None, None]

    def at(yy, xx):  # {N, C, H, W}: input pixels (yy, xx), `fill` outside the image
        inside = ((xx >= 0) & (xx < w) & (yy >= 0) & (yy < h))[:, None]
        v = x[rows, :, yy.clamp(0, h - 1), xx.clamp(0, w - 1)].permute(0, 3, 1, 2).double()
        return torch.where(inside, v, torch.tensor(float(fill), dtype=torch.float64))

    top = (1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1)
    bottom = (1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1)
    return ((1 - ty) * top + ty * bottom).float()


def random_affine(x, degrees, zoom, fill):
    n = len(x)
    angles = ((torch.rand(n, dtype=torch.float64) * 2 - 1) * degrees).tolist() if degrees > 0 \
        else [0.0] * n
    scales = (1 + (torch.rand(n, dtype=torch.float64) * 2 - 1) * zoom).tolist() if zoom > 0 \
        else [1.0] * n
    return rotate_zoom(x, angles, scales, fill)


def erasing_rect(h, w, area_min, area_max, aspect_min, aspect_max):
    """(top, left, height, width) of a rectangle of a random area fraction and height/width
    ratio, up to 100 attempts as Zhong et al. (He < H, We < W); None when none fits."""
    for _ in range(100):
        target = (area_min + (area_max - area_min) * torch.rand(1).item()) * h * w
        ratio = aspect_min + (aspect_max - aspect_min) * torch.rand(1).item()
        eh, ew = math.floor(math.sqrt(target * ratio) + 0.5), math.floor(math.sqrt(target / ratio) + 0.5)
        if eh < 1 or ew < 1 or eh >= h or ew >= w:
            continue
        if not (area_min <= eh * ew / (h * w) <= area_max and aspect_min <= eh / ew <= aspect_max):
            continue
        return (torch.randint(0, h - eh + 1, (1,)).item(), torch.randint(0, w - ew + 1, (1,)).item(),
                eh, ew)
    return None


def random_erasing(x, p, area_min, area_max, aspect_min, aspect_max, value_min, value_max):
    """With probability p per image, one rectangle filled with values uniform in
    [value_min, value_max]."""
    out = x.clone()
    c, h, w = x.shape[1:]
    for i in range(len(x)):
        if not torch.rand(1).item() < p:
            continue
        rect = erasing_rect(h, w, area_min, area_max, aspect_min, aspect_max)
        if rect is not None:
            top, left, eh, ew = rect
            out[i, :, top:top + eh, left:left + ew] = \
                value_min + (value_max - value_min) * torch.rand(c, eh, ew)
    return out


def input_noise(x, stddev):
    return x + stddev * torch.randn_like(x)


def augment(x):
    """A training batch through the project's augmentation, in NetLoom's order."""
    for t in AUGMENTATION:
        if x.dim() != 4:
            raise SystemExit(f"augmentation '{t['name']}' needs image batches {{N, C, H, W}}, "
                             f"got {tuple(x.shape)}")
        x = globals()[t["name"]](x, **t["params"])
    return x


def regularize(model, role, cfg):
    """NetLoom's L1/L2 (added to the gradients of decayed parameters) and global-norm clipping."""
    if cfg["l1"] > 0 or cfg["l2"] > 0:
        no_decay = set(NO_DECAY[role])
        with torch.no_grad():
            for key, p in model.named_parameters():
                if key not in no_decay and p.grad is not None:
                    p.grad.add_(cfg["l1"] * torch.sign(p) + 2 * cfg["l2"] * p)
    if cfg["clip_norm"] > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["clip_norm"])


def train_step(net, model, optimizer, x, y, role="model"):
    """One optimizer step of `net` (model, or its DDP wrapper) on a batch; returns the loss."""
    net.train()
    optimizer.zero_grad()
    x_in = x + INPUT_NOISE * torch.randn_like(x) if INPUT_NOISE > 0 else augment(x)
    loss = loss_fn(net(x_in), x, y)
    loss.backward()
    regularize(model, role, OPTIMIZER)
    optimizer.step()
    return loss.item()


@torch.no_grad()
def evaluate(model, x, y):
    """(mean loss, accuracy or None) over a whole set, in eval mode."""
    model.eval()
    total, correct, weight = 0.0, 0, 0
    for i in range(0, len(x), 256):
        xb, yb = torch.from_numpy(x[i:i + 256]), torch.from_numpy(y[i:i + 256])
        out = model(xb)
        # A sequence batch's loss is a mean over its real tokens, any other over its samples.
        n = (yb != DATASET["pad"]).sum().item() if TARGET == "tokens" else len(xb)
        total += loss_fn(out, xb, yb).item() * n
        weight += n
        if TARGET == "classes":
            correct += (out.argmax(1) == yb).sum().item()
    return total / max(weight, 1), (correct / len(x) if TARGET == "classes" else None)


def netloom_order(args, count):
    """NetLoom's batch order (order.nlw: the permutation of every epoch of the NetLoom run), or
    None when the script shuffles itself (--order shuffle, no file, or more epochs than it
    holds)."""
    path = os.path.join(HERE, "order.nlw")
    if args.order != "netloom" or not os.path.exists(path):
        return None
    order = read_tensors(path)[0]["order"].astype(np.int64)
    if order.shape[1] != count:
        raise SystemExit(f"{path} orders {order.shape[1]} samples, the training set has {count}")
    if len(order) < args.epochs:
        print(f"order.nlw holds {len(order)} epochs, fewer than {args.epochs}: shuffling with "
              "DistributedSampler instead", flush=True)
        return None
    return order


def shard_batches(x, y, permutation, rank, world):
    """One epoch in NetLoom's order: global batch b is permutation[b*BATCH_SIZE:(b+1)*BATCH_SIZE]
    (full batches only) and each process takes its contiguous share of it."""
    share = BATCH_SIZE // world
    for start in range(0, len(permutation) - BATCH_SIZE + 1, BATCH_SIZE):
        rows = permutation[start + rank * share:start + (rank + 1) * share]
        yield torch.from_numpy(x[rows]), torch.from_numpy(y[rows])


def train_supervised(models, args, rank, world):
    model = models["model"]
    train_x, train_y, test_x, test_y = load_data()
    order = netloom_order(args, len(train_x))
    data = TensorDataset(torch.from_numpy(train_x), torch.from_numpy(train_y))
    # Without NetLoom's order: every process shuffles the same permutation (seed, epoch) and
    # takes every world-th sample, so together they see exactly one process's batches. Full
    # batches only, as NetLoom trains: a last partial batch would be one extra, smaller step.
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=BATCH_SIZE // world, sampler=sampler, drop_last=True)
    optimizer = make_optimizer(model, "model", OPTIMIZER)
    net = DistributedDataParallel(model) if world > 1 else model
    steps_per_epoch = len(train_x) // BATCH_SIZE  # full batches only
    steps, summary = 0, {}
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        running, batches = 0.0, 0
        epoch_batches = loader if order is None else shard_batches(train_x, train_y, order[epoch],
                                                                   rank, world)
        for x, y in epoch_batches:
            set_rate(optimizer, scheduled_rate(steps, steps_per_epoch, args.epochs))
            running += train_step(net, model, optimizer, x, y)
            batches += 1
            steps += 1
            if args.steps and steps >= args.steps:
                break
        if rank == 0 and not args.no_eval:
            test_loss, accuracy = evaluate(model, test_x, test_y)
            summary = {"epoch": epoch + 1, "steps": steps, "train_loss": running / max(batches, 1),
                       "test_loss": test_loss}
            line = f"epoch {epoch + 1}: train loss {running / max(batches, 1):.4f}, " \
                   f"test loss {test_loss:.4f}"
            if accuracy is not None:
                summary["test_accuracy"] = accuracy
                line += f", test accuracy {accuracy:.4f}"
            if TARGET == "tokens":  # NetLoom's figure: perplexity per character
                summary["test_perplexity"] = float(np.exp(test_loss))
                line += f", test perplexity {summary['test_perplexity']:.3f}"
            print(line, flush=True)
        if args.steps and steps >= args.steps:
            break
    return summary


def noise(n):
    shape = [n] + GAN["noise_shape"]
    if GAN["noise"] == "uniform":
        return torch.rand(shape) * 2 - 1
    return torch.randn(shape)


def discriminator_step(g_net, d_net, d_model, d_opt, real, z):
    """One D update: real -> 1, G(z) detached -> 0, BCE with logits. Returns (D's loss, G(z)
    for the generator step)."""
    bce = F.binary_cross_entropy_with_logits
    fake = g_net(z)
    d_opt.zero_grad()
    out_real = d_net(real)
    d_loss = bce(out_real, torch.ones_like(out_real))
    d_loss.backward()
    out_fake = d_net(fake.detach())
    fake_loss = bce(out_fake, torch.zeros_like(out_fake))
    fake_loss.backward()
    regularize(d_model, "discriminator", GAN["d_optimizer"])
    d_opt.step()
    return d_loss.item() + fake_loss.item(), fake


def generator_step(d_net, g_model, g_opt, fake):
    """One G update on the last D step's G(z) against 1, through the updated D (whose
    gradients are computed and never applied, as in NetLoom). Returns G's loss."""
    g_opt.zero_grad()
    out = d_net(fake)
    g_loss = F.binary_cross_entropy_with_logits(out, torch.ones_like(out))
    g_loss.backward()
    regularize(g_model, "generator", OPTIMIZER)
    g_opt.step()
    return g_loss.item()


def train_adversarial(models, args, rank, world):
    """NetLoom's GAN step: k discriminator steps (real -> 1, G(z) detached -> 0, BCE with
    logits), then one generator step on the last G(z) against 1; optional moving average of G."""
    g_model, d_model = models["generator"], models["discriminator"]
    train_x = load_data()[0]
    data = TensorDataset(torch.from_numpy(train_x))
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=BATCH_SIZE // world, sampler=sampler, drop_last=True)
    g_opt = make_optimizer(g_model, "generator", OPTIMIZER)
    d_opt = make_optimizer(d_model, "discriminator", GAN["d_optimizer"])
    g_net = DistributedDataParallel(g_model) if world > 1 else g_model
    d_net = DistributedDataParallel(d_model) if world > 1 else d_model
    average = [p.detach().clone() for p in g_model.parameters()]
    per_epoch = GAN["iterations_per_epoch"] or len(train_x) // BATCH_SIZE
    epoch, steps, updates, summary = 0, 0, 0, {}

    def batches():
        nonlocal epoch
        while True:
            sampler.set_epoch(epoch)
            for (real,) in loader:
                yield real
            epoch += 1

    source = batches()
    g_net.train()
    d_net.train()
    for e in range(args.epochs):
        d_sum = g_sum = 0.0
        done = 0
        for _ in range(per_epoch):
            set_rate(g_opt, scheduled_rate(steps, per_epoch, args.epochs))  # G's rate only
            for _ in range(GAN["d_steps"]):
                real = next(source)
                d_loss, fake = discriminator_step(g_net, d_net, d_model, d_opt, real,
                                                  noise(len(real)))
            g_loss = generator_step(d_net, g_model, g_opt, fake)
            if GAN["generator_average"] > 0:
                updates += 1
                d = min(GAN["generator_average"], (1 + updates) / (10 + updates))
                with torch.no_grad():
                    for a, p in zip(average, g_model.parameters()):
                        a.mul_(d).add_(p, alpha=1 - d)
            d_sum += d_loss
            g_sum += g_loss
            done += 1
            steps += 1
            if args.steps and steps >= args.steps:
                break
        summary = {"epoch": e + 1, "steps": steps, "d_loss": d_sum / max(done, 1),
                   "g_loss": g_sum / max(done, 1)}
        if rank == 0:
            print(f"epoch {e + 1}: d loss {summary['d_loss']:.4f}, g loss {summary['g_loss']:.4f}",
                  flush=True)
        if args.steps and steps >= args.steps:
            break
    if GAN["generator_average"] > 0:  # the kept generator is the average, as in NetLoom
        with torch.no_grad():
            for a, p in zip(average, g_model.parameters()):
                p.copy_(a)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=f"epochs (default {EPOCHS})")
    parser.add_argument("--steps", type=int, default=0,
                        help="stop after this many optimizer steps (default: whole epochs)")
    parser.add_argument("--weights", default=os.path.join(HERE, "weights.nlw"),
                        help="weights to start from (default: weights.nlw beside this script)")
    parser.add_argument("--out", default=os.path.join(HERE, "trained.nlw"),
                        help="where rank 0 writes the trained weights (default: trained.nlw)")
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"seed of the shuffled order and of noise (default {SEED}, the project's)")
    parser.add_argument("--order", choices=["netloom", "shuffle"], default="netloom",
                        help="batch order: NetLoom's run's (order.nlw, the default when present) "
                        "or DistributedSampler's shuffle with --seed")
    parser.add_argument("--no-eval", action="store_true", help="skip the test-set evaluation")
    args = parser.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if world > 1 else 0
    if BATCH_SIZE % world:
        raise SystemExit(f"the batch size {BATCH_SIZE} does not split evenly over {world} "
                         "processes")
    torch.manual_seed(args.seed + rank)  # dropout and noise; the weights come from the file
    models = {role: cls() for role, cls in NETWORKS.items()}
    load_weights(models, args.weights)
    train = train_adversarial if TARGET == "none" else train_supervised
    summary = train(models, args, rank, world)
    if rank == 0:
        write_tensors(args.out, state_of(models), {"trained_by": "pytorch", "world_size": world,
                                                   **summary})
        print(f"wrote {args.out}", flush=True)
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
)PY";
}

}  // namespace netloom::engine
