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
            lr=1e-3, beta1=0.9, init="default", dataset=None, validation_split=0.0, batch_size=64):
    nodes, edges = chain(layers)
    return {
        "format": "netloom-project", "version": 1, "name": name, "description": description,
        "networks": [{"role": "model", "nodes": nodes, "edges": edges, "weights": {}}],
        "training": {"task": task, "loss": loss,
                     "optimizer": {"type": "adam", "lr": lr, "beta1": beta1, "beta2": 0.999,
                                   "eps": 1e-8, "weight_decay": 0.0},
                     "batch_size": batch_size, "epochs": epochs,
                     "validation_split": validation_split,
                     "seed": 1, "init": init, "threads": 0},
        "dataset": dataset or {"kind": "fashion-mnist", "scaling": "unit"},
        "history": [],
    }


def gan_project(name, description, generator, discriminator, epochs, generator_average=0.0):
    """Task "adversarial": a generator and a discriminator, each with its own optimizer
    (here both Adam 2e-4, beta1 0.5 as in the reference), images scaled to [-1, 1].
    generator_average: decay of the moving average of G's weights the run keeps (0 = off);
    training itself is the reference recipe either way."""
    adam = {"type": "adam", "lr": 2e-4, "beta1": 0.5, "beta2": 0.999, "eps": 1e-8,
            "weight_decay": 0.0}
    networks = []
    for role, layers in (("generator", generator), ("discriminator", discriminator)):
        nodes, edges = chain(layers)
        networks.append({"role": role, "nodes": nodes, "edges": edges, "weights": {}})
    return {
        "format": "netloom-project", "version": 1, "name": name, "description": description,
        "networks": networks,
        "training": {"task": "adversarial", "loss": "bce_logits", "optimizer": adam,
                     "batch_size": 64, "epochs": epochs, "validation_split": 0.0, "seed": 1,
                     "init": "default", "threads": 0,
                     "gan": {"d_steps": 1, "sample_every": 200, "sample_count": 64,
                             "iterations_per_epoch": 0, "generator_average": generator_average,
                             "discriminator_optimizer": adam}},
        "dataset": {"kind": "fashion-mnist", "scaling": "signed"},
        "history": [],
    }


INPUT = ("Input", "image", {"shape": "1,28,28"})
NOISE = ("Noise", "z", {"shape": "100", "distribution": "normal"})
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
         ("Dense", "fc2", {"units": 10})], 2,
        # He init: PyTorch's default (the peer's) lands at 0.886-0.903 after 2 epochs depending
        # on the seed, in both engines alike; He init gives 0.902-0.907 (docs/performance.md).
        init="he"),
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
    "fashion-conv-autoencoder": project(
        "Fashion-MNIST convolutional autoencoder",
        "Conv 16 3×3 stride 2 → ReLU → Conv 32 3×3 stride 2 → ReLU → Flatten → Dense 32 (code) → "
        "Dense 1568 → ReLU → Reshape 32×7×7 → Conv Transpose 16 3×3 stride 2 → ReLU → "
        "Conv Transpose 1 3×3 stride 2 → Sigmoid; binary cross-entropy against the input, "
        "Adam 1e-3, batch 64, 5 epochs.",
        [INPUT,
         ("Conv2D", "enc1", {"filters": 16, "kernel": 3, "stride": 2, "padding": "same"}),
         ("ReLU", "relu1", {}),
         ("Conv2D", "enc2", {"filters": 32, "kernel": 3, "stride": 2, "padding": "same"}),
         ("ReLU", "relu2", {}),
         ("Flatten", "flatten", {}),
         ("Dense", "code", {"units": 32}),
         ("Dense", "dec1", {"units": 32 * 7 * 7}), ("ReLU", "relu3", {}),
         ("Reshape", "unflatten", {"shape": "32,7,7"}),
         ("Conv2DTranspose", "dec2", {"filters": 16, "kernel": 3, "stride": 2, "padding": 1,
                                      "output_padding": 1}),
         ("ReLU", "relu4", {}),
         ("Conv2DTranspose", "dec3", {"filters": 1, "kernel": 3, "stride": 2, "padding": 1,
                                      "output_padding": 1}),
         ("Sigmoid", "pixels", {})], 5,
        loss="bce", task="reconstruction"),
    "fashion-gan": gan_project(
        "Fashion-MNIST GAN", "G: z(100) → Dense 256 → LeakyReLU 0.2 → Dense 512 → LeakyReLU 0.2 → "
        "Dense 784 → Tanh. D: 784 → Dense 512 → LeakyReLU 0.2 → Dense 256 → LeakyReLU 0.2 → "
        "Dense 1; BCE with logits, Adam 2e-4 β1 0.5 for both, batch 64, one D step then one G "
        "step per iteration, images in [-1, 1], 30 epochs. The samples and the saved generator "
        "are the moving average of G's weights (decay 0.999); training is unchanged by it.",
        [NOISE,
         ("Dense", "g_fc1", {"units": 256}), ("LeakyReLU", "g_act1", {"alpha": 0.2}),
         ("Dense", "g_fc2", {"units": 512}), ("LeakyReLU", "g_act2", {"alpha": 0.2}),
         ("Dense", "g_fc3", {"units": 784}), ("Tanh", "g_out", {})],
        [("Input", "image", {"shape": "784"}),
         ("Dense", "d_fc1", {"units": 512}), ("LeakyReLU", "d_act1", {"alpha": 0.2}),
         ("Dense", "d_fc2", {"units": 256}), ("LeakyReLU", "d_act2", {"alpha": 0.2}),
         ("Dense", "d_logit", {"units": 1})], 30, generator_average=0.999),
    "fashion-dcgan": gan_project(
        "Fashion-MNIST DCGAN", "G: z(100) → Dense 128·7·7 → BatchNorm → ReLU → Reshape 128×7×7 → "
        "Conv2DTranspose 64 4×4 stride 2 pad 1 → BatchNorm → ReLU → Conv2DTranspose 1 4×4 "
        "stride 2 pad 1 → Tanh. D: Conv 64 4×4 stride 2 → LeakyReLU 0.2 → Conv 128 4×4 stride 2 "
        "→ BatchNorm → LeakyReLU 0.2 → Flatten → Dense 1; BCE with logits, Adam 2e-4 β1 0.5 "
        "for both, batch 64, images in [-1, 1], 7 epochs.",
        [NOISE,
         ("Dense", "g_fc", {"units": 128 * 7 * 7}), ("BatchNorm", "g_bn1", {}),
         ("ReLU", "g_act1", {}), ("Reshape", "g_reshape", {"shape": "128,7,7"}),
         ("Conv2DTranspose", "g_up1", {"filters": 64, "kernel": 4, "stride": 2, "padding": 1,
                                       "output_padding": 0}),
         ("BatchNorm", "g_bn2", {}), ("ReLU", "g_act2", {}),
         ("Conv2DTranspose", "g_up2", {"filters": 1, "kernel": 4, "stride": 2, "padding": 1,
                                       "output_padding": 0}),
         ("Tanh", "g_out", {})],
        [INPUT,
         ("Conv2D", "d_conv1", {"filters": 64, "kernel": 4, "stride": 2, "padding": "same"}),
         ("LeakyReLU", "d_act1", {"alpha": 0.2}),
         ("Conv2D", "d_conv2", {"filters": 128, "kernel": 4, "stride": 2, "padding": "same"}),
         # BatchNorm in D (as in the DCGAN paper) roughly halves the epochs to a given score.
         ("BatchNorm", "d_bn2", {}),
         ("LeakyReLU", "d_act2", {"alpha": 0.2}),
         ("Flatten", "flatten", {}),
         ("Dense", "d_logit", {"units": 1})], 7),
    # Sequential Fashion-MNIST: each image read as 28 steps (rows) of 28 features (pixels).
    "fashion-lstm": project(
        "Fashion-MNIST LSTM (rows as a sequence)",
        "Reshape 28×28 as a sequence → LSTM 128 (last step) → Dense 10; Adam 2e-3, batch 64, "
        "8 epochs. The image is read one row at a time, top to bottom, like a sentence "
        "word by word: the LSTM carries what it saw in its hidden state. Watch the edge shapes "
        "(28×28 (seq) → 128 → 10) and the test accuracy pass 0.86 after two epochs and end near "
        "0.89.",
        [INPUT, ("Reshape", "rows", {"shape": "28,28", "sequence": True}),
         ("LSTM", "lstm", {"units": 128}),
         ("Dense", "classes", {"units": 10})], 8, lr=2e-3),
    "fashion-gru": project(
        "Fashion-MNIST GRU (rows as a sequence)",
        "Reshape 28×28 as a sequence → GRU 128 (last step) → Dense 10; Adam 2e-3, batch 64, "
        "6 epochs. Like fashion-lstm with a gated recurrent unit: three gates instead of four, "
        "a quarter fewer weights and faster epochs; watch the test accuracy reach about 0.88 "
        "after four epochs and end near 0.89.",
        [INPUT, ("Reshape", "rows", {"shape": "28,28", "sequence": True}),
         ("GRU", "gru", {"units": 128}),
         ("Dense", "classes", {"units": 10})], 6, lr=2e-3),
}

# Sequence models on text and series (issue 15, data and task half).
WORDS = {"kind": "text", "text_path": "/usr/share/dict/words", "text_max_line": 24,
         "text_max_vocabulary": 256, "test_fraction": 0.1}
SINES = {"kind": "sines", "synthetic_samples": 20000, "synthetic_noise": 0.05, "sines_window": 32,
         "sines_horizon": 1, "test_fraction": 0.1}
SAMPLES.update({
    "words-lstm": project(
        "Invented words (character LSTM)",
        "Learns to spell English from the word list /usr/share/dict/words (Debian's wamerican), "
        "one character at a time: Input 25 token ids (start-of-line + up to 24 characters) → "
        "Embedding 72×32 → LSTM 256 (every step) → Dense 72 per step: the next character's "
        "logits. Sequence generation with softmax cross-entropy at every step (padding "
        "ignored), Adam 2e-3, batch 64, 10% validation, 6 epochs. While it trains, the "
        "Generated text view writes new words from the current weights (temperature, prompt, "
        "Sample again): first gibberish, after an epoch pronounceable non-words like "
        "'clisonically' or 'benefacker'. The perplexity per character falls from about 70 "
        "(guessing among 72 tokens) to about 5.9 on the validation set after 6 epochs, far "
        "under the character-unigram baseline's 21.8.",
        [("Input", "ids", {"shape": "25"}),
         ("Embedding", "chars", {"vocabulary": 72, "dim": 32}),
         ("LSTM", "lstm", {"units": 256, "layers": 1, "return_sequences": True}),
         ("Dense", "next_char", {"units": 72})], 6,
        task="sequence-generation", lr=2e-3, dataset=WORDS, validation_split=0.1),
    "sines-gru": project(
        "Forecasting sines (GRU)",
        "Each sample is 32 steps of a noisy sum of two sines with its own frequencies and "
        "phases; the network predicts the next value. Input 32 → Reshape 32×1 (sequence) → GRU "
        "64 (last step) → Dense 1; regression with MSE, Adam 3e-3, batch 64, 10% validation, "
        "15 epochs. The Forecast view continues a fresh series by feeding each prediction back "
        "in: the predicted curve (orange) should follow the true continuation (blue) for a "
        "period or two before drifting. The validation MSE falls to about 0.007 (repeating the "
        "last value scores 0.044; the noise alone is 0.0025).",
        [("Input", "series", {"shape": "32"}),
         ("Reshape", "steps", {"shape": "32,1", "sequence": True}),
         ("GRU", "gru", {"units": 64, "layers": 1, "return_sequences": False}),
         ("Dense", "next_value", {"units": 1})], 15,
        loss="mse", task="regression", lr=3e-3, dataset=SINES, validation_split=0.1),
})
# scikit-learn's copy of the UCI wine data (Debian's python3-sklearn): 178 wines, 13 chemical
# measurements on very different scales (proline ~1000, hue ~1), 3 cultivars. Its first line is
# scikit-learn's "178,13,class_0,class_1,class_2" header, not column names.
WINE = {"kind": "csv",
        "csv_path": "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv",
        "csv_header": "sklearn", "csv_missing": "error", "csv_scaling": "standardize",
        "test_fraction": 0.2}
SAMPLES.update({
    "wine-mlp": project(
        "Wine cultivars (tabular MLP)",
        "The UCI wine data as scikit-learn ships it in Debian (python3-sklearn: "
        "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv): 178 wines, 13 "
        "chemical measurements, 3 cultivars. Data preparation: the scikit-learn header line "
        "names the classes, every feature is standardised with the mean and standard deviation "
        "of the training split only (saved with the run, so evaluation uses the same), 20% "
        "held out for testing. Input 13 → Dense 32 → ReLU → Dense 3; softmax cross-entropy, "
        "Adam 1e-2, batch 16, 30 epochs. Test accuracy about 0.97 (without standardisation the "
        "same network stays far lower: proline's values near 1000 swamp the rest).",
        [("Input", "measurements", {"shape": "13"}),
         ("Dense", "hidden", {"units": 32}), ("ReLU", "relu", {}),
         ("Dense", "cultivar", {"units": 3})], 30,
        lr=1e-2, dataset=WINE, batch_size=16),
})
for name, proj in SAMPLES.items():
    with open(os.path.join(OUT, name + ".netloom"), "w") as f:
        json.dump(proj, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote samples/%s.netloom" % name)
