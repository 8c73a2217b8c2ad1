#!/usr/bin/env python3
"""Writes ONNX files with PyTorch's own exporter (torch.onnx.export) for NetLoom's import test:
three nn.Modules built only from layers NetLoom has, each with an input batch and PyTorch's
output for it (raw float32, little-endian), and two that NetLoom must refuse by node and
attribute (a grouped convolution, a softmax over the width of an image).

    python3 make_torch_onnx.py OUT_DIR

writes OUT_DIR/torch_cnn.onnx, torch_cnn.input.bin, torch_cnn.output.bin, the same for
torch_decoder, torch_strided (PyTorch's stride-2 padding-1 convolutions) and torch_pools
(pools with padding=1: ResNet's stem max pool, an average pool without the border), and
torch_grouped.onnx, torch_width_softmax.onnx. tests/data/onnx/ holds a checked-in copy (for
machines without torch); the test regenerates the files whenever torch is importable. Opset 17, PyTorch 1.13 (Debian)."""
import os
import sys

import torch
from torch import nn


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(4, 8, 3, padding=1), nn.GELU(), nn.AvgPool2d(2))
        self.head = nn.Sequential(
            nn.Flatten(), nn.Linear(8 * 3 * 3, 32), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Linear(32, 10), nn.Softmax(dim=1))

    def forward(self, x):
        return self.head(self.features(x))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8 * 4 * 4)
        self.up = nn.Sequential(
            nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1), nn.BatchNorm2d(4), nn.ELU(),
            nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(4, 1, 3, padding=1),
            nn.Tanh())

    def forward(self, z):
        return self.up(torch.relu(self.fc(z)).view(-1, 8, 4, 4))


class Strided(nn.Module):
    """PyTorch's usual downsampling: 3×3 convolutions with stride 2 and padding 1 (pads
    [1, 1, 1, 1], which TensorFlow's "same" rule does not give); 11 → 6 → 3 (a floor)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(8 * 3 * 3, 5))

    def forward(self, x):
        return self.net(x)


class Pools(nn.Module):
    """Pools with explicit symmetric pads (MaxPool/AveragePool pads [1, 1, 1, 1]): ResNet's
    stem max pool 3×3 stride 2 padding 1 (12 → 6), and a 3×3 stride-1 average over the values
    inside the image (count_include_pad=False)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1),
            nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
            nn.Flatten(), nn.Linear(4 * 6 * 6, 5))

    def forward(self, x):
        return self.net(x)


def export(module, x, out_dir, name):
    module.eval()
    # Non-trivial running statistics, so an import that ignored them would show.
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(module, x, path, opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    with torch.no_grad():
        y = module(x)
    x.numpy().astype("<f4").tofile(os.path.join(out_dir, name + ".input.bin"))
    y.numpy().astype("<f4").tofile(os.path.join(out_dir, name + ".output.bin"))


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(17)
    export(Cnn(), torch.randn(3, 1, 12, 12), out_dir, "torch_cnn")
    export(Decoder(), torch.randn(3, 16), out_dir, "torch_decoder")
    export(Strided(), torch.randn(3, 1, 11, 11), out_dir, "torch_strided")
    # What NetLoom's layers cannot express, to be refused naming node and attribute.
    export(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1, groups=2)), torch.randn(3, 4, 6, 6),
           out_dir, "torch_grouped")
    export(nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Softmax(dim=3)),
           torch.randn(3, 1, 6, 6), out_dir, "torch_width_softmax")
    export(Pools(), torch.randn(3, 1, 12, 12), out_dir, "torch_pools")


if __name__ == "__main__":
    main()
