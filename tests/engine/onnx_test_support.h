#pragma once
// What the ONNX suites share: the table of small graphs (one per example configuration of every
// layer kind in the registry), weights for them, and running models in ONNX Runtime through
// tests/data/onnx_run.js (onnxruntime-node from npm, installed once per build directory).
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"
#include "engine/layers/init.h"
#include "engine/layers/registry.h"
#include "engine/model/model.h"
#include "support/test_support.h"

namespace netloom::test {

using namespace netloom::engine;

struct TableGraph {
    std::string label;  // "Conv2D/default"
    Graph graph;
};

inline Node tableNode(Graph& g, const std::string& type, const std::string& name, Params p = {}) {
    Node n{g.makeId(), type, name, std::move(p)};
    g.addNode(n);
    return n;
}

// A source of one sample shape: Input, or Input + Reshape(sequence) for a sequence shape.
inline std::string tableSource(Graph& g, const Shape& s) {
    Params in;
    std::string dims;
    for (int64_t d : s.dims) dims += (dims.empty() ? "" : ",") + std::to_string(d);
    in.set("shape", s.sequence ? std::to_string(s.elements()) : dims);
    const std::string input = tableNode(g, "Input", "input", in).id;
    if (!s.sequence) return input;
    Params r;
    r.set("shape", dims);
    r.set("sequence", true);
    const std::string reshape = tableNode(g, "Reshape", "to_sequence", r).id;
    g.connect({input, 0, reshape, 0});
    return reshape;
}

// One graph per example of every layer kind: the layer fed by one source; further input ports
// by distinct activations of it (inputs of a multi-input example take the first one's shape);
// a source layer (Input, Noise) is followed by a Tanh.
inline std::vector<TableGraph> layerTableGraphs() {
    std::vector<TableGraph> table;
    for (const LayerDef* def : allLayerDefs()) {
        for (const LayerExample& ex : def->examples()) {
            Graph g;
            const Params params = normalizeParams(def->schema(), ex.params, def->type());
            if (def->minInputs(params) == 0) {
                const std::string src = tableNode(g, def->type(), "source", params).id;
                const std::string act = tableNode(g, "Tanh", "after").id;
                g.connect({src, 0, act, 0});
            } else {
                const std::string src = tableSource(g, ex.inputs.at(0));
                const std::string layer = tableNode(g, def->type(), "layer", params).id;
                static const char* feeds[] = {"Sigmoid", "Tanh",    "ELU",  "ReLU",
                                              "GELU",    "Sigmoid", "Tanh", "ELU"};
                for (size_t i = 0; i < ex.inputs.size(); ++i) {
                    std::string from = src;
                    if (i > 0) {
                        from = tableNode(g, feeds[i - 1], "feed" + std::to_string(i)).id;
                        g.connect({src, 0, from, 0});
                    }
                    g.connect({from, 0, layer, static_cast<int>(i)});
                }
            }
            table.push_back({def->type() + "/" + ex.label, std::move(g)});
        }
    }
    return table;
}

// Recurrent graphs whose output reads the state ports (h, c) and the ReLU SimpleRNN, which the
// table's examples (port 0, tanh) leave out: the sum of the ports, so each must be right.
inline std::vector<TableGraph> recurrentPortGraphs() {
    std::vector<TableGraph> table;
    struct Row {
        const char* type;
        int64_t layers;
        bool sequences;
        std::vector<int> ports;
        const char* activation;
    };
    const Row rows[] = {
        {"LSTM", 2, false, {0, 1, 2}, nullptr}, {"LSTM", 1, true, {1, 2}, nullptr},
        {"GRU", 2, false, {0, 1}, nullptr},     {"GRU", 1, true, {1}, nullptr},
        {"SimpleRNN", 2, true, {}, "relu"},     {"SimpleRNN", 1, false, {0}, "relu"}};
    for (const Row& r : rows) {
        Graph g;
        const std::string src = tableSource(g, Shape::sequenceOf({4, 3}));
        Params p;
        p.set("units", int64_t{5});
        p.set("layers", r.layers);
        p.set("return_sequences", r.sequences);
        if (r.activation) p.set("activation", std::string(r.activation));
        const std::string rnn = tableNode(g, r.type, "rnn", p).id;
        g.connect({src, 0, rnn, 0});
        std::string label = std::string(r.type) + "/ports";
        if (r.ports.size() > 1) {
            Params a;
            a.set("inputs", static_cast<int64_t>(r.ports.size()));
            const std::string add = tableNode(g, "Add", "sum", a).id;
            for (size_t k = 0; k < r.ports.size(); ++k) {
                g.connect({rnn, r.ports[k], add, static_cast<int>(k)});
                label += "-" + std::to_string(r.ports[k]);
            }
        } else if (r.ports.size() == 1) {
            const std::string t = tableNode(g, "Tanh", "after").id;
            g.connect({rnn, r.ports[0], t, 0});
            label += "-" + std::to_string(r.ports[0]);
        }
        if (r.activation) label += std::string("-") + r.activation;
        table.push_back(
            {label + (r.sequences ? "-seq" : "") + "-l" + std::to_string(r.layers), std::move(g)});
    }
    return table;
}

// Initial weights with every BatchNorm's running statistics made non-trivial (their defaults
// 0 and 1 would hide a mix-up of mean and variance).
inline WeightSet tableWeights(const Graph& graph, uint64_t seed) {
    ComputeContext ctx;
    Model model(graph, ctx);
    model.initialize(seed, InitScheme::Default);
    WeightSet w = model.weights();
    Rng rng(seed + 7);
    for (auto& [node, tensors] : w)
        for (auto& [name, t] : tensors) {
            if (name == "running_mean")
                for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(-0.5f, 0.5f);
            if (name == "running_var" || name == "gamma")
                for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(0.5f, 2.0f);
        }
    return w;
}

inline Tensor randomInput(int64_t batch, const Shape& sample, uint64_t seed) {
    Tensor x(batch, sample);
    Rng rng(seed);
    for (int64_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-2.0f, 2.0f);
    return x;
}

// randomInput, except that a graph with an Embedding gets whole token ids below the smallest
// vocabulary (Embedding refuses other numbers).
inline Tensor graphInput(const Graph& g, int64_t batch, const Shape& sample, uint64_t seed) {
    int64_t vocabulary = 0;
    for (const Node& n : g.nodes())
        if (n.type == "Embedding") {
            const int64_t v = n.params.has("vocabulary") ? n.params.getInt("vocabulary") : 64;
            vocabulary = vocabulary ? std::min(vocabulary, v) : v;
        }
    Tensor x = randomInput(batch, sample, seed);
    if (vocabulary)
        for (int64_t i = 0; i < x.size(); ++i)
            x[i] = std::floor((x[i] + 2.0f) / 4.0f * static_cast<float>(vocabulary) * 0.999f);
    return x;
}

// max |a − b| / max |b|: the error relative to the output's magnitude.
inline double relativeError(const Tensor& a, const Tensor& b) {
    double diff = 0, scale = 1e-12;
    for (int64_t i = 0; i < b.size(); ++i) {
        diff = std::max(diff, static_cast<double>(std::fabs(a[i] - b[i])));
        scale = std::max(scale, static_cast<double>(std::fabs(b[i])));
    }
    return diff / scale;
}

// Installs onnxruntime-node under the build tree (once) and returns the folder; "" with the
// reason in `error` when it cannot (npm unreachable: the caller fails, never skips).
inline QString onnxRuntimeDir(QString* error) {
    const QString dir = QCoreApplication::applicationDirPath() + "/onnxruntime";
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("bash", {QString::fromStdString(std::string(NETLOOM_SOURCE_DIR) +
                                            "/scripts/install_onnxruntime.sh"),
                     dir});
    if (!p.waitForFinished(600000) || p.exitCode() != 0) {
        *error = "installing onnxruntime-node failed (npm registry unreachable?): " +
                 QString::fromLocal8Bit(p.readAll());
        return {};
    }
    return dir;
}

struct OnnxRun {
    std::string model;  // path of the .onnx file
    Tensor input;
    Tensor output;  // filled by runInOnnxRuntime
};

// Runs every job in one Node process; returns "" or the failure (with Node's stderr).
inline QString runInOnnxRuntime(std::vector<OnnxRun>& runs, const QString& workDir) {
    QString error;
    const QString ort = onnxRuntimeDir(&error);
    if (ort.isEmpty()) return error;
    QJsonArray jobs;
    for (size_t i = 0; i < runs.size(); ++i) {
        const QString in = workDir + QString("/in%1.bin").arg(i);
        QFile f(in);
        if (!f.open(QIODevice::WriteOnly)) return "cannot write " + in;
        f.write(reinterpret_cast<const char*>(runs[i].input.data()),
                runs[i].input.size() * static_cast<qint64>(sizeof(float)));
        f.close();
        QJsonArray dims;
        for (int64_t d : runs[i].input.dims()) dims.append(static_cast<qint64>(d));
        jobs.append(QJsonObject{{"model", QString::fromStdString(runs[i].model)},
                                {"input", in},
                                {"dims", dims},
                                {"output", workDir + QString("/out%1.bin").arg(i)}});
    }
    const QString jobsFile = workDir + "/jobs.json";
    QFile jf(jobsFile);
    if (!jf.open(QIODevice::WriteOnly)) return "cannot write " + jobsFile;
    jf.write(QJsonDocument(jobs).toJson());
    jf.close();
    QProcess node;
    node.start("node", {QString::fromStdString(dataFile("onnx_run.js")), ort, jobsFile});
    if (!node.waitForFinished(600000) || node.exitStatus() != QProcess::NormalExit ||
        node.exitCode() != 0)
        return "ONNX Runtime failed: " + QString::fromLocal8Bit(node.readAllStandardError()) +
               node.errorString();
    for (size_t i = 0; i < runs.size(); ++i) {
        const QString out = workDir + QString("/out%1.bin").arg(i);
        QFile dimsFile(out + ".json");
        if (!dimsFile.open(QIODevice::ReadOnly)) return "no output dims for " + out;
        std::vector<int64_t> dims;
        for (const auto& d : QJsonDocument::fromJson(dimsFile.readAll()).array())
            dims.push_back(static_cast<int64_t>(d.toDouble()));
        runs[i].output.resize(dims);
        QFile of(out);
        if (!of.open(QIODevice::ReadOnly)) return "no output " + out;
        const QByteArray bytes = of.readAll();
        if (bytes.size() != runs[i].output.size() * static_cast<qint64>(sizeof(float)))
            return "output " + out + " has the wrong size";
        std::copy_n(reinterpret_cast<const float*>(bytes.constData()), runs[i].output.size(),
                    runs[i].output.data());
    }
    return {};
}

}  // namespace netloom::test
