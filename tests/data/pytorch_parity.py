#!/usr/bin/python3
"""Expected losses for tests/engine/test_pytorch_parity.cpp: the fashion-mlp, fashion-cnn and
fashion-conv-autoencoder sample networks (cross-entropy on the labels; the autoencoder BCE
against its input), deterministic weights (layer k, element i: w = sin(0.731 i + k)/sqrt(fan_in),
b = 0.1 cos(i + k); fan_in = weight[0].numel(), for ConvTranspose2d filters·k² as PyTorch
counts it), the first 640 Fashion-MNIST training images in order, batch 64, Adam 1e-3,
10 steps; prints the loss of every step. Regenerate with:
  /usr/bin/python3 tests/data/pytorch_parity.py   (needs Debian python3-torch)"""
import gzip, struct, numpy as np, torch, torch.nn as nn, torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"
def idx(p):
    d = gzip.open(D + p).read(); m, n = struct.unpack(">II", d[:8])
    return np.frombuffer(d, np.uint8, offset=16).reshape(n, 1, 28, 28) if m == 2051 else np.frombuffer(d, np.uint8, offset=8)

torch.set_num_threads(1)
X = torch.tensor(idx("train-images-idx3-ubyte.gz")[:640], dtype=torch.float32) / 255
Y = torch.tensor(idx("train-labels-idx1-ubyte.gz")[:640], dtype=torch.long)

def fill(net):
    k = 0
    with torch.no_grad():
        for m in net:
            if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                k += 1
                fan_in = m.weight[0].numel()
                i = np.arange(m.weight.numel())
                m.weight.copy_(torch.tensor((np.sin(0.731 * i + k) / np.sqrt(fan_in)).astype(np.float32)).view_as(m.weight))
                j = np.arange(m.bias.numel())
                m.bias.copy_(torch.tensor((0.1 * np.cos(j + k)).astype(np.float32)))

mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
cnn = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
# NetLoom's Conv2D "same" with stride 2 pads like TensorFlow: nothing before, one row/column after.
cae = nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(),
                    nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                    nn.Flatten(), nn.Linear(32 * 7 * 7, 32), nn.Linear(32, 32 * 7 * 7), nn.ReLU(),
                    nn.Unflatten(1, (32, 7, 7)),
                    nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                    nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())
for name, net in (("mlp", mlp), ("cnn", cnn), ("conv-autoencoder", cae)):
    fill(net)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    losses = []
    for s in range(10):
        x = X[s * 64:(s + 1) * 64]
        l = (F.binary_cross_entropy(net(x), x) if name == "conv-autoencoder"
             else F.cross_entropy(net(x), Y[s * 64:(s + 1) * 64]))
        opt.zero_grad(); l.backward(); opt.step(); losses.append(l.item())
    print(name, ", ".join("%.6f" % v for v in losses))
