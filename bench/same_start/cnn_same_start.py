#!/usr/bin/python3
"""PyTorch's side of cnn_same_start.cpp: the same weights (DIR/w<SEED>.bin) and batch order
(DIR/order<SEED>.bin), Adam 1e-3, batch 64, 2 epochs; prints the same loss means and accuracy.
  make_order:  /usr/bin/python3 bench/same_start/cnn_same_start.py DIR SEED order
  train:       OMP_NUM_THREADS=1 /usr/bin/python3 bench/same_start/cnn_same_start.py DIR SEED"""
import gzip, struct, sys
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"
def idx(p):
    d = gzip.open(D + p).read(); m, n = struct.unpack(">II", d[:8])
    return np.frombuffer(d, np.uint8, offset=16).reshape(n, 1, 28, 28) if m == 2051 else np.frombuffer(d, np.uint8, offset=8)

out, seed = sys.argv[1], int(sys.argv[2])
if len(sys.argv) > 3 and sys.argv[3] == "order":
    r = np.random.default_rng(seed)
    np.concatenate([r.permutation(60000), r.permutation(60000)]).astype(np.int64).tofile("%s/order%d.bin" % (out, seed))
    sys.exit(0)
X = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
Y = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
Xt = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
Yt = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
w = np.fromfile("%s/w%d.bin" % (out, seed), np.float32); o = 0
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.tensor(w[o:o + p.numel()]).view_as(p)); o += p.numel()
assert o == w.size, "weights file does not fit fashion-cnn"
order = torch.tensor(np.fromfile("%s/order%d.bin" % (out, seed), np.int64))
opt = torch.optim.Adam(net.parameters(), 1e-3)
total, count = 0.0, 0
for ep in range(2):
    for b in range(60000 // 64):
        i = order[ep * 60000 + b * 64: ep * 60000 + b * 64 + 64]
        loss = F.cross_entropy(net(X[i]), Y[i]); total += loss.item(); count += 1
        if count == 100: print("%.4f" % (total / count), end=" ", flush=True); total, count = 0.0, 0
        opt.zero_grad(); loss.backward(); opt.step()
with torch.no_grad():
    print("\naccuracy %.4f" % (net(Xt).argmax(1) == Yt).float().mean().item())
