#!/usr/bin/python3
"""Reference values for tests/engine/test_attention.cpp: PyTorch's nn.MultiheadAttention
(batch_first=True, need_weights=False) with deterministic weights and inputs, forward and
backward. For each case: the output, the gradient of every input and of every parameter
(PyTorch's names) of L = Σ g·out. Formulas (shared with the C++ test; i is the flat element
index):
  parameter k (0-based in named_parameters() order): 0.4·sin(0.731·i + 1.7·k + 0.3)
  query x {N, T, d}: sin(0.37·i + 0.5);  key/value input {N, S, d}: cos(0.41·i + 0.2)
  output gradient g: cos(0.29·i)
A causal case passes attn_mask = −∞ above the diagonal. Writes JSON to the path given (default:
stdout). The checked-in fixture tests/data/attention_parity.json was made with Debian
python3-torch 1.13.1:
  /usr/bin/python3 tests/data/attention_parity.py tests/data/attention_parity.json"""
import json, sys, numpy as np, torch, torch.nn as nn

torch.set_num_threads(1)
N, T, S, D = 2, 5, 3, 8
CASES = [  # name, heads, causal, cross, bias
    ("self-2-heads", 2, False, False, True),
    ("self-causal-4-heads", 4, True, False, True),
    ("cross-2-heads", 2, False, True, True),
    ("cross-causal-1-head", 1, True, True, True),
    ("self-1-head-no-bias", 1, False, False, False),
    ("self-causal-8-heads-no-bias", 8, True, False, False),
]

def formula(n, f):
    return torch.tensor(f(np.arange(n, dtype=np.float64)).astype(np.float32))

def run(heads, causal, cross, bias):
    net = nn.MultiheadAttention(D, heads, bias=bias, batch_first=True)
    with torch.no_grad():
        for k, (_, p) in enumerate(net.named_parameters()):
            p.copy_(formula(p.numel(), lambda i: 0.4 * np.sin(0.731 * i + 1.7 * k + 0.3)).view_as(p))
    x = formula(N * T * D, lambda i: np.sin(0.37 * i + 0.5)).view(N, T, D).requires_grad_()
    s = S if cross else T
    kv = formula(N * S * D, lambda i: np.cos(0.41 * i + 0.2)).view(N, S, D).requires_grad_() \
        if cross else x
    mask = torch.triu(torch.full((T, s), float("-inf")), diagonal=1) if causal else None
    y = net(x, kv, kv, attn_mask=mask, need_weights=False)[0]
    (y * formula(y.numel(), lambda i: np.cos(0.29 * i)).view_as(y)).sum().backward()
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    grads = [flat(x.grad)] + ([flat(kv.grad)] if cross else [])
    return {"output": flat(y), "input_grads": grads,
            "param_grads": {n.replace(".", "_"): flat(p.grad) for n, p in net.named_parameters()}}

result = {"batch": N, "tokens": T, "key_tokens": S, "width": D, "cases": []}
for name, heads, causal, cross, bias in CASES:
    case = {"name": name, "heads": heads, "causal": causal, "cross_attention": cross,
            "use_bias": bias}
    case.update(run(heads, causal, cross, bias))
    result["cases"].append(case)
text = json.dumps(result, separators=(",", ":"))
if len(sys.argv) > 1:
    open(sys.argv[1], "w").write(text + "\n")
else:
    print(text)
