#!/usr/bin/python3
"""The network and settings of samples/fashion-vit, in PyTorch (Debian python3-torch), for the
accuracy and speed comparison in docs/performance.md. A tiny Vision Transformer: each
Fashion-MNIST image (x/255) cut into 7×7 patches by Conv2d(1, 64, 7, stride 7) → 16 tokens of
width 64 → + a learned positional embedding → BLOCKS × TransformerEncoderLayer(64, 4 heads,
feed-forward 128, GELU, pre-norm, no dropout) → LayerNorm → mean over tokens → Linear(64, 10).
PyTorch's default initialisation (NetLoom's "default" init is the same per layer, the position
table N(0, 0.02²) in both), softmax cross-entropy, AdamW (β 0.9/0.999, eps 1e-8) at LR with
weight decay WD on the matrices only (conv, in/out projections, Linear weights; NetLoom exempts
biases, LayerNorm and the position table the same way), batch 64, a fresh shuffle every epoch
(the last partial batch dropped, as NetLoom does), a random left–right flip of half the training
images when FLIP is 1 (NetLoom's training.augmentation.flip).
Schedule, per batch, as NetLoom's engine/optim/lr_schedule.cpp: WARMUP epochs rising linearly
from 0.1·LR to LR (LinearLR), then a cosine from LR to 0 over the remaining steps
(CosineAnnealingLR, SequentialLR); "constant" keeps LR (warm-up still applies when WARMUP > 0).
The defaults are samples/fashion-vit.netloom's settings (bench/vit_make_samples.py writes it).
Prints one JSON line per epoch with the test accuracy after it and the training throughput.
Usage: vit_peer.py [epochs=10] [lr=0.001] [threads=1] [seed=1] [blocks=4] [schedule=cosine]
                   [warmup=1] [wd=0.05] [flip=1]"""
import gzip, json, struct, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"
def idx(path):
    with gzip.open(D + path) as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 1, 28, 28)
    return np.frombuffer(data, np.uint8, offset=8)

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
lr = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-3
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
torch.manual_seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
blocks = int(sys.argv[5]) if len(sys.argv) > 5 else 4
schedule = sys.argv[6] if len(sys.argv) > 6 else "cosine"
warmup_epochs = int(sys.argv[7]) if len(sys.argv) > 7 else 1
wd = float(sys.argv[8]) if len(sys.argv) > 8 else 0.05
flip = int(sys.argv[9]) if len(sys.argv) > 9 else 1
Xtr = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255.0
ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
Xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255.0
yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)

class TinyViT(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.patches = nn.Conv2d(1, d, 7, stride=7)
        self.position = nn.Parameter(torch.randn(16, d) * 0.02)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, activation="gelu",
                                       batch_first=True, norm_first=True)
            for _ in range(blocks))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 10)
    def forward(self, x):
        t = self.patches(x).flatten(2).transpose(1, 2) + self.position  # {B, 16, d}
        for b in self.blocks:
            t = b(t)
        return self.head(self.norm(t).mean(1))

net = TinyViT()
decayed = [p for name, p in net.named_parameters() if p.dim() > 1 and name != "position"]
exempt = [p for name, p in net.named_parameters() if not (p.dim() > 1 and name != "position")]
opt = torch.optim.AdamW([{"params": decayed, "weight_decay": wd},
                         {"params": exempt, "weight_decay": 0.0}], lr, eps=1e-8)
bs, n = 64, Xtr.shape[0]
warm = warmup_epochs * (n // bs)
rest = max(epochs * (n // bs) - warm, 1)
def factor(s):  # the rate after s steps, as a fraction of LR
    if s < warm:
        return 0.1 + 0.9 * s / warm
    return 0.5 * (1 + np.cos(np.pi * (s - warm) / rest)) if schedule == "cosine" else 1.0
sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
for ep in range(1, epochs + 1):
    perm = torch.randperm(n); net.train(); t0 = time.perf_counter()
    for i in range(0, n - bs + 1, bs):
        b = perm[i:i + bs]
        x = Xtr[b]
        if flip:  # one draw per image: mirror it left–right or not
            x = torch.where(torch.rand(bs, 1, 1, 1) < 0.5, x.flip(3), x)
        loss = F.cross_entropy(net(x), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    dt = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        acc = sum((net(Xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                  for i in range(0, 10000, 1000)) / 10000
    print(json.dumps({"model": "vit", "blocks": blocks, "epoch": ep, "lr": lr, "schedule": schedule,
                      "warmup": warmup_epochs, "weight_decay": wd, "flip": flip,
                      "test_accuracy": acc, "train_samples_per_s": round(n / dt)}), flush=True)
