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
gradients). Training starts from weights.nlw (the project's weights as NetLoom exported them);
at the end rank 0 writes trained.nlw, which `netloom import-weights PROJECT trained.nlw --save
OUT.netloom` or File > Import weights... reads back into the project. Importable: the networks,
load_data(), loss_fn(), make_optimizer() and train_step() serve tests and notebooks too.
"""
import argparse
import gzip
import json
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
                groups.append({"params": params, "lr": lr * m,
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
    x_in = x + INPUT_NOISE * torch.randn_like(x) if INPUT_NOISE > 0 else x
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


def train_supervised(models, args, rank, world):
    model = models["model"]
    train_x, train_y, test_x, test_y = load_data()
    data = TensorDataset(torch.from_numpy(train_x), torch.from_numpy(train_y))
    # Every process shuffles the same permutation (seed, epoch) and takes every world-th sample,
    # so together they see exactly one process's batches. Full batches only, as NetLoom trains:
    # a last partial batch would be one extra, smaller step per epoch.
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(data, batch_size=BATCH_SIZE // world, sampler=sampler, drop_last=True)
    optimizer = make_optimizer(model, "model", OPTIMIZER)
    net = DistributedDataParallel(model) if world > 1 else model
    steps, summary = 0, {}
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        running, batches = 0.0, 0
        for x, y in loader:
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
                        help=f"seed of the data order and noise (default {SEED}, the project's)")
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
