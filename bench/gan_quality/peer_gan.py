#!/usr/bin/python3
"""The peer's side of the GAN quality comparison: trains fashion-gan or fashion-dcgan with PyTorch
(same networks, losses, Adam settings, batch 64, one D step then one G step, shuffled epochs of
937 iterations) and writes the trained generator into a copy of our sample project, so that
`netloom eval OUT --classifier CNN.netloom` scores PyTorch's samples with the same classifier and
the same noise as ours.
  /usr/bin/python3 bench/gan_quality/peer_gan.py gan|dcgan EPOCHS OUT.netloom [SEED]"""
import base64, gzip, json, os, struct, sys, zlib
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F

kind, epochs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
torch.manual_seed(seed)
here = os.path.dirname(os.path.abspath(__file__))
sample = os.path.join(here, "..", "..", "samples", "fashion-%s.netloom" % kind)

D = "/usr/share/datasets/fashion-mnist/"
raw = gzip.open(D + "train-images-idx3-ubyte.gz").read()
X = torch.tensor(np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 127.5 - 1

if kind == "gan":
    G = nn.Sequential(nn.Linear(100, 256), nn.LeakyReLU(0.2), nn.Linear(256, 512), nn.LeakyReLU(0.2),
                      nn.Linear(512, 784), nn.Tanh())
    Dn = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256),
                       nn.LeakyReLU(0.2), nn.Linear(256, 1))
    gen_ids = {0: "n2", 2: "n4", 4: "n6"}
else:
    G = nn.Sequential(nn.Linear(100, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
                      nn.Unflatten(1, (128, 7, 7)),
                      nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    Dn = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1),
                       nn.BatchNorm2d(128), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
    gen_ids = {0: "n2", 1: "n3", 4: "n6", 5: "n7", 7: "n9"}

def blob(t):
    a = np.ascontiguousarray(t.detach().numpy().astype("<f4"))
    b = a.tobytes()
    return {"shape": list(a.shape), "dtype": "f32", "crc32": zlib.crc32(b),
            "data": base64.b64encode(b).decode()}

def export(path):
    project = json.load(open(sample))
    gen = next(n for n in project["networks"] if n.get("role") == "generator")
    weights = {}
    for index, node in gen_ids.items():
        m = G[index]
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            weights[node] = {"gamma": blob(m.weight), "beta": blob(m.bias),
                             "running_mean": blob(m.running_mean), "running_var": blob(m.running_var)}
        else:
            weights[node] = {"weight": blob(m.weight), "bias": blob(m.bias)}
    gen["weights"] = weights
    json.dump(project, open(path, "w"))
    print("wrote", path, flush=True)

every = int(os.environ.get("EXPORT_EVERY", "0"))  # also write OUT-e<N>.netloom every N epochs
og = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
od = torch.optim.Adam(Dn.parameters(), 2e-4, betas=(0.5, 0.999))
bs = 64
ones, zeros = torch.ones(bs, 1), torch.zeros(bs, 1)
for ep in range(epochs):
    order = torch.randperm(X.shape[0])
    for b in range(X.shape[0] // bs):
        real = X[order[b * bs:(b + 1) * bs]]
        if kind == "gan": real = real.view(bs, 784)
        fake = G(torch.randn(bs, 100))
        ld = F.binary_cross_entropy_with_logits(Dn(real), ones) + \
             F.binary_cross_entropy_with_logits(Dn(fake.detach()), zeros)
        od.zero_grad(); ld.backward(); od.step()
        lg = F.binary_cross_entropy_with_logits(Dn(fake), ones)
        og.zero_grad(); lg.backward(); og.step()
    print("epoch %d  d_loss %.3f  g_loss %.3f" % (ep + 1, ld.item(), lg.item()), flush=True)
    if every and (ep + 1) % every == 0: export(out.replace(".netloom", "-e%d.netloom" % (ep + 1)))
export(out)

