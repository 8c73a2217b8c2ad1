#!/usr/bin/python3
"""The network and settings of samples/fashion-vit, in PyTorch (Debian python3-torch), for the
accuracy and speed comparison in docs/performance.md. A tiny Vision Transformer: each
Fashion-MNIST image (x/255) cut into 7×7 patches by Conv2d(1, 64, 7, stride 7) → 16 tokens of
width 64 → + a learned positional embedding → BLOCKS × TransformerEncoderLayer(64, 4 heads,
feed-forward 128, GELU, pre-norm, no dropout) → LayerNorm → mean over tokens → Linear(64, 10).
PyTorch's default initialisation, softmax cross-entropy, Adam (β 0.9/0.999, eps 1e-8) at LR,
batch 64, a fresh shuffle every epoch (the last partial batch dropped, as NetLoom does).
Prints one JSON line per epoch with the test accuracy after it and the training throughput.
With schedule "cosine" the learning rate follows a cosine from LR to 0 over the run, per batch.
Usage: vit_peer.py [epochs=10] [lr=0.001] [threads=1] [seed=1] [blocks=2] [schedule=constant|cosine]"""
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
blocks = int(sys.argv[5]) if len(sys.argv) > 5 else 2
schedule = sys.argv[6] if len(sys.argv) > 6 else "constant"
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
opt = torch.optim.Adam(net.parameters(), lr)
bs, n = 64, Xtr.shape[0]
steps = epochs * (n // bs)
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, (lambda s: 0.5 * (1 + np.cos(np.pi * s / steps))) if schedule == "cosine" else (lambda s: 1.0))
for ep in range(1, epochs + 1):
    perm = torch.randperm(n); net.train(); t0 = time.perf_counter()
    for i in range(0, n - bs + 1, bs):
        b = perm[i:i + bs]
        loss = F.cross_entropy(net(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    dt = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        acc = sum((net(Xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                  for i in range(0, 10000, 1000)) / 10000
    print(json.dumps({"model": "vit", "blocks": blocks, "epoch": ep, "lr": lr, "schedule": schedule,
                      "test_accuracy": acc, "train_samples_per_s": round(n / dt)}), flush=True)
