#!/usr/bin/python3
"""Reference values for tests/engine/test_transformer_encoder_parity.cpp: PyTorch's
nn.TransformerEncoderLayer(d, heads, feed_forward, dropout=0, activation="gelu",
norm_first=True, batch_first=True), the layer NetLoom's palette block
(resources/blocks/transformer_encoder.json) is built to be, with deterministic weights and
inputs, forward and backward in float64. For each case: the output, the input's gradient and the gradient
of every parameter (PyTorch's names, "." → "_") of L = Σ g·out. Formulas (shared with the C++
test; i is the flat element index, k the parameter's place in named_parameters()):
  parameter k: 0.1·sin(0.731·i + 1.7·k + 0.3), plus 1 for the LayerNorm weights
  input x {N, T, d}: sin(0.37·i + 0.5);  output gradient g: cos(0.29·i)
Writes JSON to the path given (default: stdout). The checked-in fixture
tests/data/transformer_encoder_parity.json was made with Debian python3-torch (torch.__version__ 1.13.0a0):
  /usr/bin/python3 tests/data/transformer_encoder_parity.py tests/data/transformer_encoder_parity.json"""
import json, sys, numpy as np, torch, torch.nn as nn

torch.set_num_threads(1)
CASES = [  # name, batch, tokens, width, heads, feed-forward
    ("palette block (ViT size)", 1, 16, 64, 4, 128),
    ("small, 2 heads", 3, 5, 16, 2, 48),
    ("one head, one token", 2, 1, 8, 1, 16),
]

def formula(n, f):
    return torch.tensor(f(np.arange(n, dtype=np.float64)).astype(np.float32))

def run(n, t, d, heads, ff):
    net = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.0, activation="gelu",
                                     norm_first=True, batch_first=True)
    with torch.no_grad():
        for k, (name, p) in enumerate(net.named_parameters()):
            v = formula(p.numel(), lambda i: 0.1 * np.sin(0.731 * i + 1.7 * k + 0.3))
            if name.startswith("norm") and name.endswith("weight"):
                v = v + 1.0
            p.copy_(v.view_as(p))
    # In float64 from the float32 values, so the reference is exact and the comparison
    # measures NetLoom's float32 rounding alone. norm1's gradients are ill-conditioned sums: a
    # shift of every key by one vector leaves softmax unchanged, so their part through the keys
    # is exactly zero yet computed from non-zero terms. With weights of amplitude 0.15 and 2
    # samples NetLoom (float32) was 1.7e-4 relative off there; torch's own float32 run is ~1e-4
    # off at amplitude 0.3-0.5. Amplitude 0.1 and one sample at the ViT size keep every tensor
    # well inside 1e-4 (measured 1.6e-5).
    net.double().train()  # the training path (the inference fast path has no backward)
    x = formula(n * t * d, lambda i: np.sin(0.37 * i + 0.5)).double().view(n, t, d)
    x.requires_grad_()
    y = net(x)
    (y * formula(y.numel(), lambda i: np.cos(0.29 * i)).double().view_as(y)).sum().backward()
    flat = lambda v: [float(f"{e:.8g}") for e in v.detach().reshape(-1).tolist()]  # float32 digits
    return {"output": flat(y), "input_grad": flat(x.grad),
            "param_names": [name.replace(".", "_") for name, _ in net.named_parameters()],
            "param_grads": {name.replace(".", "_"): flat(p.grad)
                            for name, p in net.named_parameters()}}

result = {"torch": torch.__version__, "cases": []}
for name, n, t, d, heads, ff in CASES:
    case = {"name": name, "batch": n, "tokens": t, "width": d, "heads": heads, "feed_forward": ff}
    case.update(run(n, t, d, heads, ff))
    result["cases"].append(case)
text = json.dumps(result, separators=(",", ":"))
if len(sys.argv) > 1:
    open(sys.argv[1], "w").write(text + "\n")
else:
    print(text)
