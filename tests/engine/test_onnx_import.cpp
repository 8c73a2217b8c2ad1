// ONNX import: import(export(graph)) is the same graph (layer kinds, parameters, connections)
// with outputs equal to 1e-6, for every layer example and every sample part; files written by
// PyTorch's own exporter import and give PyTorch's outputs (regenerated when torch is present,
// the checked-in fixture always); hostile files are refused with a message naming the problem.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QtTest>
#include <cstring>
#include <set>
#include <tuple>

#include "engine/export/onnx_export.h"
#include "engine/export/onnx_import.h"
#include "engine/infer/inference_session.h"
#include "engine/io/project_io.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/onnx_test_support.h"

using namespace netloom::engine;
using namespace netloom::test;

namespace {

// Node name → (type, normalized params), edges by names: what "the same graph" means.
struct GraphByName {
    std::map<std::string, std::pair<std::string, Params>> nodes;
    std::set<std::tuple<std::string, int, std::string, int>> edges;
};

GraphByName byName(const Graph& g) {
    GraphByName out;
    const GraphAnalysis a = analyzeGraph(g);
    for (const Node& n : g.nodes()) out.nodes[n.name] = {n.type, a.nodes.at(n.id).params};
    for (const Edge& e : g.edges())
        out.edges.insert({g.node(e.from).name, e.fromPort, g.node(e.to).name, e.toPort});
    return out;
}

void checkRoundTrip(const std::string& label, const Graph& graph, const WeightSet& weights) {
    OnnxImportResult back;
    try {
        back = importOnnxModel(exportOnnxModel(graph, weights, label), label);
    } catch (const netloom::Error& e) {
        QFAIL((label + ": " + e.what()).c_str());
    }
    const GraphByName a = byName(graph), b = byName(back.network.graph);
    for (const auto& [name, node] : a.nodes) {
        auto it = b.nodes.find(name);
        QVERIFY2(it != b.nodes.end(), (label + ": layer '" + name + "' is missing").c_str());
        QVERIFY2(it->second.first == node.first,
                 (label + ": '" + name + "' came back as " + it->second.first).c_str());
        QVERIFY2(it->second.second == node.second,
                 (label + ": parameters of '" + name + "' differ").c_str());
    }
    QCOMPARE(b.nodes.size(), a.nodes.size());
    QVERIFY2(a.edges == b.edges, (label + ": connections differ").c_str());

    InferenceSession before(graph, weights, TargetKind::None);
    InferenceSession after(back.network.graph, back.network.weights, TargetKind::None);
    const Tensor x = graphInput(graph, 4, before.inputShape(), 5);
    const Tensor y0 = before.forward(x), y1 = after.forward(x);
    QVERIFY2(y0.dims() == y1.dims(), label.c_str());
    const double err = relativeError(y1, y0);
    QVERIFY2(err <= 1e-6, (label + ": outputs differ by " + std::to_string(err)).c_str());
}

Tensor readFloats(const std::string& path, std::vector<int64_t> dims) {
    Tensor t(std::move(dims));
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) throw netloom::Error("cannot read " + path);
    const QByteArray bytes = f.readAll();
    if (bytes.size() != t.size() * 4) throw netloom::Error(path + " has the wrong size");
    std::memcpy(t.data(), bytes.constData(), static_cast<size_t>(bytes.size()));
    return t;
}

// Imports a PyTorch-written model from `dir` and compares with PyTorch's own output.
void checkTorchModel(const std::string& dir, const std::string& name,
                     std::vector<std::string> expectedTypes) {
    OnnxImportResult r;
    const QString error = errorOf([&] { r = importOnnxFile(dir + "/" + name + ".onnx"); });
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const Graph& g = r.network.graph;
    std::multiset<std::string> types;
    for (const Node& n : g.nodes()) types.insert(n.type);
    for (const std::string& t : expectedTypes)
        QVERIFY2(types.count(t), (name + " has no " + t + " layer").c_str());
    InferenceSession session(g, r.network.weights, TargetKind::None);
    const Tensor x = readFloats(dir + "/" + name + ".input.bin", [&] {
        std::vector<int64_t> d{3};
        for (int64_t v : session.inputShape().dims) d.push_back(v);
        return d;
    }());
    const Tensor y = session.forward(x);
    const Tensor expected = readFloats(dir + "/" + name + ".output.bin", y.dims());
    const double err = relativeError(y, expected);
    qInfo("%s from %s: relative error %.2g against PyTorch", name.c_str(), dir.c_str(), err);
    QVERIFY2(err <= 1e-4, (name + ": " + std::to_string(err)).c_str());
}

// PyTorch's stride-2 padding-1 convolutions give PyTorch's outputs. On 11×11 pads [1,1,1,1]
// are what TensorFlow's "same" gives too; on 6×6 "same" would pad [0,0,1,1], so the second
// comes in as Conv2D with explicit padding 1. (The importer adds layers in graph order.)
void checkStrided(const std::string& dir) {
    checkTorchModel(dir, "torch_strided", {"Conv2D", "ReLU", "Flatten", "Dense"});
    const OnnxImportResult r = importOnnxFile(dir + "/torch_strided.onnx");
    std::vector<std::string> paddings;
    for (const Node& n : r.network.graph.nodes())
        if (n.type == "Conv2D") {
            paddings.push_back(n.params.getString("padding"));
            QCOMPARE(n.params.getInt("stride"), int64_t{2});
            if (paddings.back() == "explicit") QCOMPARE(n.params.getInt("pad"), int64_t{1});
        }
    QCOMPARE(paddings, (std::vector<std::string>{"same", "explicit"}));
}

// PyTorch's padded pools give PyTorch's outputs: MaxPool2d(3, 2, padding=1) on 12×12 (pads
// [1,1,1,1], where "same" would pad [0,0,1,1]) comes in as MaxPool2D with explicit pad 1; the
// 3×3 stride-1 average's [1,1,1,1] is also "same", which import prefers.
void checkPools(const std::string& dir) {
    checkTorchModel(dir, "torch_pools", {"Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "Dense"});
    const OnnxImportResult r = importOnnxFile(dir + "/torch_pools.onnx");
    for (const Node& n : r.network.graph.nodes()) {
        if (n.type == "MaxPool2D") {
            QCOMPARE(n.params.getString("padding"), std::string("explicit"));
            QCOMPARE(n.params.getInt("pad"), int64_t{1});
            QCOMPARE(n.params.getInt("pool_size"), int64_t{3});
            QCOMPARE(n.params.getInt("stride"), int64_t{2});
        }
        if (n.type == "AvgPool2D") QCOMPARE(n.params.getString("padding"), std::string("same"));
    }
}

}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void everyLayerKindRoundTrips() {
        uint64_t seed = 1;
        for (const TableGraph& t : layerTableGraphs())
            checkRoundTrip(t.label, t.graph, tableWeights(t.graph, seed++));
    }

    void recurrentPortsRoundTrip() {
        uint64_t seed = 50;
        for (const TableGraph& t : recurrentPortGraphs())
            checkRoundTrip(t.label, t.graph, tableWeights(t.graph, seed++));
    }

    void everySampleRoundTrips() {
        const QStringList samples =
            QDir(QString::fromStdString(sampleFile(""))).entryList({"*.netloom"}, QDir::Files);
        QVERIFY(samples.size() >= 7);
        for (const QString& name : samples) {
            const Project project = loadProject(sampleFile(name.toStdString()));
            for (const OnnxExportPart& part : onnxExportParts(project, {.discriminator = true}))
                checkRoundTrip(name.toStdString() + "/" + part.label, part.graph, part.weights);
        }
    }

    // The checked-in files (made by tests/data/make_torch_onnx.py) always run.
    void pytorchFixtureImports() {
        const std::string dir = dataFile("onnx");
        checkTorchModel(dir, "torch_cnn",
                        {"Conv2D", "MaxPool2D", "GELU", "AvgPool2D", "Flatten", "Dense",
                         "LeakyReLU", "Softmax"});
        checkTorchModel(dir, "torch_decoder",
                        {"Dense", "ReLU", "Reshape", "Conv2DTranspose", "BatchNorm", "ELU",
                         "Upsample", "Conv2D", "Tanh"});
        checkStrided(dir);
        checkPools(dir);
    }

    // What NetLoom's layers cannot express is refused naming the node and the attribute.
    void pytorchModulesBeyondNetLoomAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("grouped conv") << "torch_grouped"
                                      << "node '/0/Conv' (Conv): group=2: grouped convolution";
        QTest::newRow("softmax over the width")
            << "torch_width_softmax"
            << "node '/1/Softmax' (Softmax): softmax over axis 3";
    }
    void pytorchModulesBeyondNetLoomAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const std::string path = dataFile("onnx/" + file.toStdString() + ".onnx");
        const QString error = errorOf([&] { importOnnxFile(path); });
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    // With torch installed, the same modules are exported afresh by this machine's PyTorch.
    void pytorchExportImports() {
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import torch"});
        if (!probe.waitForFinished(120000) || probe.exitCode() != 0)
            QSKIP("python3-torch is not installed: the checked-in fixture covers PyTorch files");
        const QString dir = tempDir() + "/torch";
        QProcess p;
        p.start("/usr/bin/python3", {QString::fromStdString(dataFile("make_torch_onnx.py")), dir});
        QVERIFY2(p.waitForFinished(300000) && p.exitCode() == 0,
                 p.readAllStandardError().constData());
        checkTorchModel(dir.toStdString(), "torch_cnn", {"Conv2D", "GELU", "Dense", "Softmax"});
        checkTorchModel(dir.toStdString(), "torch_decoder",
                        {"Dense", "Conv2DTranspose", "Upsample"});
        checkStrided(dir.toStdString());
        checkPools(dir.toStdString());
    }

    void hostileFilesAreRefused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("huge dims") << "huge_dims"
                                   << "invalid or huge dimension";
        QTest::newRow("huge input") << "huge_input"
                                    << "invalid or huge dimension";
        QTest::newRow("cycle") << "cycle"
                               << "cycle";
        QTest::newRow("unknown ops") << "unknown_ops"
                                     << "unsupported operators: Cos (node 'cosine'); FancyOp "
                                        "(node 'fancy')";
        QTest::newRow("missing initializer")
            << "missing_initializer"
            << "node 'fc' (Gemm) reads 'W', which no node, initializer or graph input provides";
        QTest::newRow("short initializer") << "short_initializer"
                                           << "has 3 values for its shape of 16";
        QTest::newRow("symbolic dims") << "symbolic_dims"
                                       << "symbolic dimension 'features'";
    }
    void hostileFilesAreRefused() {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const std::string path = dataFile("onnx/" + file.toStdString() + ".onnx");
        const QString error = errorOf([&] { importOnnxFile(path); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.startsWith(QString::fromStdString(path)), qPrintable(error));
    }

    void truncatedAndForeignBytesAreRefused() {
        Graph g = layerTableGraphs().at(2).graph;  // a Dense example
        const std::string bytes = exportOnnxModel(g, tableWeights(g, 3), "t");
        for (size_t cut : {bytes.size() / 2, bytes.size() - 3, size_t{7}}) {
            const QString error =
                errorOf([&] { importOnnxModel(bytes.substr(0, cut), "cut.onnx"); });
            QVERIFY2(error.startsWith("cut.onnx: ") && !error.isEmpty(), qPrintable(error));
        }
        QVERIFY(errorOf([&] {
                    importOnnxModel("this is not protobuf at all", "x.onnx");
                }).contains("not an ONNX model"));
        QVERIFY(errorOf([&] { importOnnxModel("", "e.onnx"); }).contains("empty file"));
        QVERIFY(errorOf([&] { importOnnxFile("/no/such/file.onnx"); }).contains("cannot open"));
        QVERIFY(!errorOf([&] { importOnnxFile(tempDir().toStdString()); }).isEmpty());  // a folder
    }

    // The gate remapping recurrent layers' hooks use: LSTM i,f,c,o → ONNX i,o,f,c.
    void gateBlocksReorder() {
        const std::vector<float> ifco{1, 1, 2, 2, 3, 3, 4, 4};  // i f c o, blocks of 2
        QCOMPARE(onnxReorderBlocks(ifco, 2, {0, 3, 1, 2}),
                 (std::vector<float>{1, 1, 4, 4, 2, 2, 3, 3}));
        QVERIFY(!errorOf([&] { onnxReorderBlocks(ifco, 3, {0, 1, 2}); }).isEmpty());
    }

    // A layer without an ONNX hook is named, never dropped.
    void unexportableLayersAreNamed() {
        struct NoExportDef final : SingleOutputDef {
            std::string type() const override { return "TestNoExport"; }
            std::string category() const override { return "Core"; }
            std::string description() const override { return "test"; }
            Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
                return in[0];
            }
            std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2}}; }
            std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
                return nullptr;
            }
        } def;
        ScopedLayerRegistration reg(def);
        Graph g;
        Params in;
        in.set("shape", std::string("2"));
        g.addNode({"n1", "Input", "input", in});
        g.addNode({"n2", "TestNoExport", "mystery", {}});
        g.connect({"n1", 0, "n2", 0});
        QCOMPARE(layersWithoutOnnxExport(g), std::vector<std::string>{"'mystery' (TestNoExport)"});
        const QString error = errorOf([&] { exportOnnxModel(g, {}, "x"); });
        QVERIFY2(error.contains("'mystery' (TestNoExport)"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "test_onnx_import.moc"
