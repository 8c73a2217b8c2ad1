#!/usr/bin/env python3
"""Writes samples/fashion-vit.netloom and samples/fashion-rows-attention.netloom. The encoder
blocks are the palette's (resources/blocks/transformer_encoder.json: LayerNorm → MHA → Add →
LayerNorm → Dense → GELU → Dense → Add), one editor group each, so the canvas shows them as
collapsible blocks; writing them from one script keeps the repeated blocks identical and the
settings in one place next to the PyTorch peer (bench/vit_peer.py, which must match).
Usage: bench/vit_make_samples.py (from anywhere; rewrites both files)."""
import json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The ViT's training settings; bench/vit_peer.py repeats them (keep both in step).
VIT = dict(blocks=4, width=64, heads=4, ff=128, epochs=10, batch=64, lr=1e-3,
           weight_decay=0.05, warmup_epochs=1, flip=True)
ROWS = dict(blocks=2, width=64, heads=4, ff=128, epochs=10, batch=64, lr=1e-3,
            weight_decay=0.05, warmup_epochs=1)


class Net:
    def __init__(self):
        self.nodes, self.edges, self.groups = [], [], []
        self.x, self.y = 0.0, 0.0

    def row(self):
        """Starts a new row of cards: the stem, each block and the head get one (a block's
        collapsed card sits where its first card is, so collapsed they read top to bottom)."""
        self.x, self.y = 0.0, self.y + 180.0

    def node(self, type_, name, params=None):
        nid = f"n{len(self.nodes) + 1}"
        self.nodes.append({"id": nid, "type": type_, "name": name, "params": params or {},
                           "ui": {"x": self.x, "y": self.y, "comment": ""}})
        self.x += 220.0
        return nid

    def edge(self, a, b, port=0):
        self.edges.append({"from": a, "fromPort": 0, "to": b, "toPort": port})

    def chain(self, prev, type_, name, params=None):
        nid = self.node(type_, name, params)
        self.edge(prev, nid)
        return nid

    def encoder_block(self, prev, k, width, heads, ff):
        """The palette's pre-norm block, wired from `prev`; returns its output node."""
        self.row()
        first = len(self.nodes)
        ln_a = self.chain(prev, "LayerNorm", f"block{k}_norm1")
        mha = self.chain(ln_a, "MultiHeadAttention", f"block{k}_attention",
                         {"heads": heads, "causal": False})
        add_a = self.chain(mha, "Add", f"block{k}_add1", {"inputs": 2})
        self.edge(prev, add_a, 1)  # the residual
        ln_b = self.chain(add_a, "LayerNorm", f"block{k}_norm2")
        ff_a = self.chain(ln_b, "Dense", f"block{k}_ff1", {"units": ff})
        gelu = self.chain(ff_a, "GELU", f"block{k}_gelu")
        ff_b = self.chain(gelu, "Dense", f"block{k}_ff2", {"units": width})
        add_b = self.chain(ff_b, "Add", f"block{k}_add2", {"inputs": 2})
        self.edge(add_a, add_b, 1)
        self.groups.append({"id": f"g{k}", "name": f"encoder block {k}",
                            "members": [n["id"] for n in self.nodes[first:]],
                            "collapsed": True})
        return add_b

    def network(self):
        return {"role": "model", "nodes": self.nodes, "edges": self.edges,
                "groups": self.groups, "weights": {}}


def training(s, augmentation=None):
    t = {"task": "classification", "loss": "cross_entropy",
         "optimizer": {"type": "adamw", "lr": s["lr"], "beta1": 0.9, "beta2": 0.999,
                       "eps": 1e-08, "weight_decay": s["weight_decay"]},
         "batch_size": s["batch"], "epochs": s["epochs"], "validation_split": 0.0, "seed": 1,
         "init": "default", "threads": 0,
         "schedule": {"type": "cosine", "warmup": s["warmup_epochs"], "warmup_unit": "epochs",
                      "warmup_start_factor": 0.1}}
    if augmentation:
        t["augmentation"] = augmentation
    return t


def project(name, description, net, train):
    return {"format": "netloom-project", "version": 2, "name": name,
            "description": description, "networks": [net.network()], "training": train,
            "dataset": {"kind": "fashion-mnist", "scaling": "unit"}, "history": []}


def vit():
    s, net = VIT, Net()
    prev = net.node("Input", "image", {"shape": "1,28,28"})
    prev = net.chain(prev, "PatchEmbedding", "patches", {"patch": 7, "dim": s["width"]})
    prev = net.chain(prev, "PositionalEmbedding", "positions")
    for k in range(1, s["blocks"] + 1):
        prev = net.encoder_block(prev, k, s["width"], s["heads"], s["ff"])
    net.row()
    prev = net.chain(prev, "LayerNorm", "final_norm")
    prev = net.chain(prev, "SequenceMean", "token_mean")
    net.chain(prev, "Dense", "classes", {"units": 10})
    desc = (f"A tiny Vision Transformer: 7×7 patches → 16 tokens of width {s['width']} → learned "
            f"positions → {s['blocks']} pre-norm encoder blocks ({s['heads']} heads, feed-forward "
            f"{s['ff']}, GELU) → LayerNorm → token mean → Dense 10. AdamW {s['lr']:g} (weight "
            f"decay {s['weight_decay']:g}), {s['warmup_epochs']} warm-up epoch then cosine, batch "
            f"{s['batch']}, {s['epochs']} epochs, random left–right flips. bench/vit_peer.py is the "
            "same model in PyTorch.")
    aug = {"flip": True} if s["flip"] else None
    return project("Fashion-MNIST ViT", desc, net, training(s, aug))


def rows():
    s, net = ROWS, Net()
    prev = net.node("Input", "image", {"shape": "1,28,28"})
    prev = net.chain(prev, "Reshape", "rows", {"shape": "28,28", "sequence": True})
    prev = net.chain(prev, "Dense", "row_embedding", {"units": s["width"]})
    prev = net.chain(prev, "SinusoidalPositionalEncoding", "positions")
    for k in range(1, s["blocks"] + 1):
        prev = net.encoder_block(prev, k, s["width"], s["heads"], s["ff"])
    net.row()
    prev = net.chain(prev, "LayerNorm", "final_norm")
    prev = net.chain(prev, "SequenceMean", "token_mean")
    net.chain(prev, "Dense", "classes", {"units": 10})
    desc = (f"Reads each image row by row with attention: 28 tokens of 28 pixels → Dense "
            f"{s['width']} → sinusoidal positions → {s['blocks']} pre-norm encoder blocks "
            f"({s['heads']} heads, feed-forward {s['ff']}) → LayerNorm → token mean → Dense 10. "
            f"AdamW {s['lr']:g} (weight decay {s['weight_decay']:g}), {s['warmup_epochs']} warm-up "
            f"epoch then cosine, batch {s['batch']}, {s['epochs']} epochs.")
    return project("Fashion-MNIST rows with attention", desc, net, training(s))


for file, proj in (("fashion-vit.netloom", vit()), ("fashion-rows-attention.netloom", rows())):
    with open(os.path.join(ROOT, "samples", file), "w") as f:
        json.dump(proj, f, indent=1, ensure_ascii=False)
        f.write("\n")
