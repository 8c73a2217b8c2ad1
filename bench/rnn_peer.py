#!/usr/bin/python3
"""The same network and settings as samples/fashion-lstm and fashion-gru, in PyTorch (Debian
python3-torch), for the accuracy comparison in docs/performance.md: each Fashion-MNIST image
(x/255) read as 28 steps of 28 pixels → nn.LSTM/nn.GRU(28, 128) → last step → Linear(128, 10),
PyTorch's default initialisation (NetLoom's "default" init is the same), softmax cross-entropy,
Adam (β 0.9/0.999, eps 1e-8) at the sample's learning rate, batch 64, a fresh shuffle every
epoch (the last partial batch dropped, as NetLoom does), no validation split. Prints one JSON line per epoch with the test accuracy after it.
Usage: rnn_peer.py lstm|gru [epochs=8] [lr=0.002] [threads=1] [seed=1]"""
import gzip, json, struct, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"
def idx(path):
    with gzip.open(D + path) as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 28, 28)
    return np.frombuffer(data, np.uint8, offset=8)

kind = sys.argv[1] if len(sys.argv) > 1 else "lstm"
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 8
lr = float(sys.argv[3]) if len(sys.argv) > 3 else 2e-3
torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
torch.manual_seed(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
Xtr = torch.tensor(idx("train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255.0
ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
Xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255.0
yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)

class RowSequence(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.GRU)(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)
    def forward(self, x):
        y, _ = self.rnn(x)
        return self.fc(y[:, -1])

net = RowSequence()
opt = torch.optim.Adam(net.parameters(), lr)
bs, n = 64, Xtr.shape[0]
for ep in range(1, epochs + 1):
    perm = torch.randperm(n); net.train(); t0 = time.perf_counter()
    for i in range(0, n - bs + 1, bs):  # NetLoom's training epoch also drops a partial batch
        b = perm[i:i + bs]
        loss = F.cross_entropy(net(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    dt = time.perf_counter() - t0
    net.eval()
    with torch.no_grad():
        acc = sum((net(Xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                  for i in range(0, 10000, 1000)) / 10000
    print(json.dumps({"model": kind, "epoch": ep, "lr": lr, "test_accuracy": acc,
                      "train_samples_per_s": round(n / dt)}), flush=True)
