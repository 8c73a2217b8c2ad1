#!/usr/bin/python3
"""Reference values for tests/engine/test_recurrent_parity.cpp: PyTorch's nn.RNN, nn.LSTM and
nn.GRU (batch_first) with deterministic weights and inputs, forward and backward. For each case:
the outputs (the sequence or its last step, the last layer's final h and, for LSTM, c), the
input gradient and every parameter's gradient (PyTorch's names) of
L = Σ g0·out + Σ g1·h + Σ g2·c. Formulas (shared with the C++ test; i is the flat element index):
  parameter k (0-based in named_parameters() order): 0.4·sin(0.731·i + 1.7·k + 0.3)
  input x {N, T, F}: sin(0.37·i + 0.5)
  gradient of output port p: cos(0.29·i + p)
Writes JSON to the path given (default: stdout). The checked-in fixture tests/data/rnn_parity.json
was made with Debian python3-torch 1.13.1:
  /usr/bin/python3 tests/data/rnn_parity.py tests/data/rnn_parity.json"""
import json, sys, numpy as np, torch, torch.nn as nn

torch.set_num_threads(1)
N, T, F, H = 3, 5, 4, 6
CASES = [  # name, type, activation, layers, return_sequences
    ("rnn-tanh-stacked-seq", "SimpleRNN", "tanh", 2, True),
    ("rnn-relu-last", "SimpleRNN", "relu", 1, False),
    ("lstm-last", "LSTM", "", 1, False),
    ("lstm-stacked-seq", "LSTM", "", 2, True),
    ("gru-last", "GRU", "", 1, False),
    ("gru-stacked-seq", "GRU", "", 2, True),
]

def formula(n, f):
    return torch.tensor(f(np.arange(n, dtype=np.float64)).astype(np.float32))

def run(kind, act, layers, seq):
    if kind == "SimpleRNN":
        net = nn.RNN(F, H, layers, nonlinearity=act, batch_first=True)
    else:
        net = getattr(nn, kind)(F, H, layers, batch_first=True)
    with torch.no_grad():
        for k, (_, p) in enumerate(net.named_parameters()):
            p.copy_(formula(p.numel(), lambda i: 0.4 * np.sin(0.731 * i + 1.7 * k + 0.3)).view_as(p))
    x = formula(N * T * F, lambda i: np.sin(0.37 * i + 0.5)).view(N, T, F).requires_grad_()
    y, state = net(x)
    outs = [y if seq else y[:, -1]]
    if kind == "LSTM":
        outs += [state[0][-1], state[1][-1]]
    elif kind == "GRU":
        outs += [state[-1]]
    loss = sum((o * formula(o.numel(), lambda i, p=p: np.cos(0.29 * i + p)).view_as(o)).sum()
               for p, o in enumerate(outs))
    loss.backward()
    flat = lambda t: [float(v) for v in t.detach().reshape(-1)]
    return {"outputs": [flat(o) for o in outs], "input_grad": flat(x.grad),
            "param_grads": {n: flat(p.grad) for n, p in net.named_parameters()}}

result = {"batch": N, "steps": T, "features": F, "hidden": H, "cases": []}
for name, kind, act, layers, seq in CASES:
    case = {"name": name, "type": kind, "activation": act, "layers": layers,
            "return_sequences": seq}
    case.update(run(kind, act, layers, seq))
    result["cases"].append(case)
text = json.dumps(result, separators=(",", ":"))
if len(sys.argv) > 1:
    open(sys.argv[1], "w").write(text + "\n")
else:
    print(text)
