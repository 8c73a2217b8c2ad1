#!/usr/bin/python3
"""Reference values for tests/engine/test_transformer_layers.cpp: PyTorch's nn.LayerNorm with
deterministic weights and inputs, forward and backward. For each case: the output, the input
gradient and the gradients of weight and bias of L = sum(g * y). Formulas (shared with the C++
test; i is the flat element index):
  weight: 1 + 0.5*sin(0.731*i + 0.3)      bias: 0.2*cos(0.5*i)
  input x {N, T, d} or {N, d}: 2*sin(0.37*i + 0.5) + 0.3*cos(0.11*i)
  output gradient g: cos(0.29*i)
Writes JSON to the path given (default: stdout). The checked-in fixture
tests/data/layer_norm_parity.json was made with Debian python3-torch 1.13.1:
  /usr/bin/python3 tests/data/layer_norm_parity.py tests/data/layer_norm_parity.json"""
import json, sys, numpy as np, torch, torch.nn as nn

torch.set_num_threads(1)
CASES = [  # name, input dims (with batch), epsilon
    ("tokens", [3, 5, 8], 1e-5),
    ("flat", [4, 6], 1e-3),
    ("wide-tokens", [2, 8, 32], 1e-6),
]

def formula(n, f):
    return torch.tensor(f(np.arange(n, dtype=np.float64)).astype(np.float32))

def run(dims, eps):
    d = dims[-1]
    ln = nn.LayerNorm(d, eps=eps)
    with torch.no_grad():
        ln.weight.copy_(formula(d, lambda i: 1 + 0.5 * np.sin(0.731 * i + 0.3)))
        ln.bias.copy_(formula(d, lambda i: 0.2 * np.cos(0.5 * i)))
    n = int(np.prod(dims))
    x = formula(n, lambda i: 2 * np.sin(0.37 * i + 0.5) + 0.3 * np.cos(0.11 * i))
    x = x.view(*dims).requires_grad_()
    y = ln(x)
    (y * formula(n, lambda i: np.cos(0.29 * i)).view(*dims)).sum().backward()
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    return {"output": flat(y), "input_grad": flat(x.grad),
            "param_grads": {"weight": flat(ln.weight.grad), "bias": flat(ln.bias.grad)}}

result = {"torch": torch.__version__, "cases": []}
for name, dims, eps in CASES:
    case = {"name": name, "dims": dims, "epsilon": eps}
    case.update(run(dims, eps))
    result["cases"].append(case)
text = json.dumps(result, separators=(",", ":"))
if len(sys.argv) > 1:
    open(sys.argv[1], "w").write(text + "\n")
else:
    print(text)
