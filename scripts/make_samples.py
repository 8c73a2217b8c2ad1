#!/usr/bin/python3
"""Writes the reference sample projects (../shared/REFERENCE.md) into samples/.
Run after changing the sample definitions: /usr/bin/python3 scripts/make_samples.py"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "samples")


def chain(layers):
    nodes, edges = [], []
    for i, (typ, name, params) in enumerate(layers):
        nid = "n%d" % (i + 1)
        # No "ui" positions: the editor lays out nodes that have none when it opens a file.
        nodes.append({"id": nid, "type": typ, "name": name, "params": params})
        if i:
            edges.append({"from": "n%d" % i, "fromPort": 0, "to": nid, "toPort": 0})
    return nodes, edges


def project(name, description, layers, epochs, loss="cross_entropy", task="classification",
            lr=1e-3, beta1=0.9):
    nodes, edges = chain(layers)
    return {
        "format": "netloom-project", "version": 1, "name": name, "description": description,
        "networks": [{"role": "model", "nodes": nodes, "edges": edges, "weights": {}}],
        "training": {"task": task, "loss": loss,
                     "optimizer": {"type": "adam", "lr": lr, "beta1": beta1, "beta2": 0.999,
                                   "eps": 1e-8, "weight_decay": 0.0},
                     "batch_size": 64, "epochs": epochs, "validation_split": 0.0, "seed": 1,
                     "init": "default", "threads": 0},
        "dataset": {"kind": "fashion-mnist", "scaling": "unit"},
        "history": [],
    }


INPUT = ("Input", "image", {"shape": "1,28,28"})
SAMPLES = {
    "fashion-mlp": project(
        "Fashion-MNIST MLP", "Flatten → Dense 256 → ReLU → Dense 128 → ReLU → Dense 10; "
        "softmax cross-entropy, Adam 1e-3, batch 64, 5 epochs.",
        [INPUT, ("Flatten", "flatten", {}),
         ("Dense", "fc1", {"units": 256}), ("ReLU", "relu1", {}),
         ("Dense", "fc2", {"units": 128}), ("ReLU", "relu2", {}),
         ("Dense", "fc3", {"units": 10})], 5),
    "fashion-cnn": project(
        "Fashion-MNIST CNN", "Conv 32 3×3 → ReLU → MaxPool 2 → Conv 64 3×3 → ReLU → MaxPool 2 → "
        "Flatten → Dense 128 → ReLU → Dense 10; Adam 1e-3, batch 64, 2 epochs.",
        [INPUT,
         ("Conv2D", "conv1", {"filters": 32, "kernel": 3, "padding": "same"}), ("ReLU", "relu1", {}),
         ("MaxPool2D", "pool1", {"pool_size": 2}),
         ("Conv2D", "conv2", {"filters": 64, "kernel": 3, "padding": "same"}), ("ReLU", "relu2", {}),
         ("MaxPool2D", "pool2", {"pool_size": 2}),
         ("Flatten", "flatten", {}),
         ("Dense", "fc1", {"units": 128}), ("ReLU", "relu3", {}),
         ("Dense", "fc2", {"units": 10})], 2),
    "fashion-autoencoder": project(
        "Fashion-MNIST autoencoder", "Flatten → Dense 256 → ReLU → Dense 32 → ReLU → Dense 256 → "
        "ReLU → Dense 784 → Sigmoid; binary cross-entropy against the input, Adam 1e-3, batch 64, "
        "5 epochs.",
        [INPUT, ("Flatten", "flatten", {}),
         ("Dense", "enc1", {"units": 256}), ("ReLU", "relu1", {}),
         ("Dense", "code", {"units": 32}), ("ReLU", "relu2", {}),
         ("Dense", "dec1", {"units": 256}), ("ReLU", "relu3", {}),
         ("Dense", "dec2", {"units": 784}), ("Sigmoid", "pixels", {})], 5,
        loss="bce", task="reconstruction"),
}

for name, proj in SAMPLES.items():
    with open(os.path.join(OUT, name + ".netloom"), "w") as f:
        json.dump(proj, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote samples/%s.netloom" % name)
