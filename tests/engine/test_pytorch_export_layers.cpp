// Every layer kind through the PyTorch export, driven by the registry's examples (the same rows
// the gradient check uses): a small regression graph Input → (a trainable 1×1 Conv2D or Dense,
// so the layer's backward matters) → the layer → Flatten → Dense 3, exported, then the
// module's forward and one SGD step compared with NetLoom (≤ 1e-4 relative, as for the
// samples). Multi-input layers (Add, Concat) take the same tensor on every port; Dropout runs
// at rate 0 (a random mask cannot match). A few rows more run each optimizer's mapping (AdamW,
// RMSprop with momentum, Lion, SGD with Nesterov, weight decay, L1/L2 and clipping).
#include <QtTest>

#include "engine/layers/registry.h"
#include "tests/engine/pytorch_export_compare.h"

using namespace netloom::engine;

Q_DECLARE_METATYPE(netloom::engine::OptimizerConfig)

namespace {

Params with(std::initializer_list<std::pair<const std::string, ParamValue>> values) {
    Params p;
    for (const auto& [k, v] : values) p.set(k, v);
    return p;
}

std::string shapeText(const Shape& s) {
    std::string t;
    for (int64_t d : s.dims) t += (t.empty() ? "" : ",") + std::to_string(d);
    return t;
}

// Input → [trainable pre-layer] → layer (all ports) → Flatten → Dense 3, as a regression project
// trained with `optimizer`.
Project layerProject(const LayerDef& def, const LayerExample& ex, const OptimizerConfig& optimizer,
                     bool trainableBefore = true) {
    Project p;
    p.training.task = "regression";
    p.training.loss = "mse";
    p.training.optimizer = optimizer;
    p.training.init = "default";
    Graph& g = p.model().graph;
    const Shape in = ex.inputs.at(0);
    std::string last = "in";
    if (in.sequence) {  // Input cannot make a sequence: Reshape can
        g.addNode(Node{"in", "Input", "x", with({{"shape", shapeText(in)}})});
        g.addNode(
            Node{"seq", "Reshape", "seq", with({{"shape", shapeText(in)}, {"sequence", true}})});
        g.connect(Edge{"in", 0, "seq", 0});
        last = "seq";
    } else {
        g.addNode(Node{"in", "Input", "x", with({{"shape", shapeText(in)}})});
    }
    if (!trainableBefore || ex.tokenIds > 0) {  // token ids must reach the layer unchanged
    } else if (in.rank() == 3) {
        g.addNode(Node{
            "pre", "Conv2D", "pre",
            with({{"filters", in[0]}, {"kernel", int64_t{1}}, {"padding", std::string("valid")}})});
    } else if (in.rank() == 1 || in.sequence) {
        g.addNode(Node{"pre", "Dense", "pre", with({{"units", in.dims.back()}})});
    }
    if (g.findNode("pre")) {
        g.connect(Edge{last, 0, "pre", 0});
        last = "pre";
    }
    Params params = ex.params;
    if (def.type() == "Dropout") params.set("rate", 0.0);
    g.addNode(Node{"layer", def.type(), "layer", params});
    for (int port = 0; port < def.minInputs(params); ++port)
        g.connect(Edge{last, 0, "layer", port});
    g.addNode(Node{"flat", "Flatten", "flat", {}});
    g.addNode(Node{"out", "Dense", "out", with({{"units", int64_t{3}}})});
    g.connect(Edge{"layer", 0, "flat", 0});
    g.connect(Edge{"flat", 0, "out", 0});
    return p;
}

}  // namespace

class TestPytorchExportLayers : public QObject {
    Q_OBJECT
private slots:
    void everyLayerKindMatchesNetLoom_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("example");
        for (const LayerDef* def : allLayerDefs()) {
            const auto examples = def->examples();
            if (def->minInputs(examples.front().params) == 0) continue;  // Input, Noise
            for (size_t i = 0; i < examples.size(); ++i)
                QTest::newRow(
                    qPrintable(QString::fromStdString(def->type() + " " + examples[i].label)))
                    << QString::fromStdString(def->type()) << static_cast<int>(i);
        }
    }
    void everyLayerKindMatchesNetLoom() {
        QFETCH(QString, type);
        QFETCH(int, example);
        if (netloom::test::torchPython().isEmpty())
            QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        const LayerDef* def = findLayerDef(type.toStdString());
        QVERIFY(def);
        const LayerExample ex = def->examples().at(static_cast<size_t>(example));
        const Project p =
            layerProject(*def, ex, OptimizerConfig().withType("sgd").withLr(0.1).withMomentum(0.9));
        const GraphAnalysis a = analyzeGraph(p.model().graph);
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        netloom::test::compareWithPyTorch(p, "layer-" + type.toStdString() + "-" + ex.label);
    }

    // The recurrent state ports (h, c) and ReLU SimpleRNN, which the examples (port 0, tanh)
    // leave out: the output sums the ports read, so each must come out of the tuple right.
    void recurrentPortsMatchNetLoom_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("layers");
        QTest::addColumn<bool>("sequences");
        QTest::addColumn<QList<int>>("ports");
        QTest::newRow("LSTM last, h, c, 2 layers") << "LSTM" << 2 << false << QList<int>{0, 1, 2};
        QTest::newRow("LSTM h, c") << "LSTM" << 1 << true << QList<int>{1, 2};
        QTest::newRow("GRU last, h, 2 layers") << "GRU" << 2 << false << QList<int>{0, 1};
        QTest::newRow("SimpleRNN relu sequences, 2 layers")
            << "SimpleRNN" << 2 << true << QList<int>{0};
    }
    void recurrentPortsMatchNetLoom() {
        QFETCH(QString, type);
        QFETCH(int, layers);
        QFETCH(bool, sequences);
        QFETCH(QList<int>, ports);
        if (netloom::test::torchPython().isEmpty())
            QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        LayerExample ex;
        ex.inputs = {Shape::sequenceOf({4, 3})};
        ex.params = with(
            {{"units", int64_t{5}}, {"layers", int64_t{layers}}, {"return_sequences", sequences}});
        if (type == "SimpleRNN") ex.params.set("activation", std::string("relu"));
        Project p = layerProject(*findLayerDef(type.toStdString()), ex,
                                 OptimizerConfig().withType("sgd").withLr(0.1));
        Graph& g = p.model().graph;
        if (ports != QList<int>{0}) {
            QVERIFY(g.disconnect(Edge{"layer", 0, "flat", 0}));
            g.addNode(Node{"sum", "Add", "sum", with({{"inputs", int64_t(ports.size())}})});
            for (int k = 0; k < ports.size(); ++k) g.connect(Edge{"layer", ports[k], "sum", k});
            g.connect(Edge{"sum", 0, "flat", 0});
        }
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        netloom::test::compareWithPyTorch(p, "ports-" + type.toStdString() + "-" +
                                                 std::to_string(layers) + (sequences ? "s" : "l") +
                                                 std::to_string(ports.size()));
    }

    void everyOptimizerMatchesNetLoom_data() {
        QTest::addColumn<OptimizerConfig>("optimizer");
        QTest::newRow("adamw") << OptimizerConfig().withType("adamw").withLr(1e-2).withWeightDecay(
            0.1);
        QTest::newRow("rmsprop")
            << OptimizerConfig().withType("rmsprop").withLr(1e-3).withMomentum(0.9).withWeightDecay(
                   1e-2);
        QTest::newRow("lion")
            << OptimizerConfig().withType("lion").withLr(1e-3).withBetas(0.9, 0.99).withWeightDecay(
                   0.1);
        QTest::newRow("sgd nesterov, l1, l2, clip") << OptimizerConfig()
                                                           .withType("sgd")
                                                           .withLr(0.05)
                                                           .withMomentum(0.9)
                                                           .withNesterov(true)
                                                           .withL1(1e-3)
                                                           .withL2(1e-2)
                                                           .withClipNorm(0.5);
        QTest::newRow("adam weight decay")
            << OptimizerConfig().withType("adam").withLr(1e-3).withWeightDecay(0.05);
    }
    void everyOptimizerMatchesNetLoom() {
        QFETCH(OptimizerConfig, optimizer);
        if (netloom::test::torchPython().isEmpty())
            QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        // BatchNorm → Dense: decayed weights, exempt biases and BN scales in one graph.
        const Project p =
            layerProject(*findLayerDef("BatchNorm"), LayerExample{"flat", Params{}, {Shape{6}}},
                         optimizer, false);
        netloom::test::compareWithPyTorch(
            p, "optimizer-" + optimizer.type + "-" + std::string(QTest::currentDataTag()));
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportLayers)
#include "test_pytorch_export_layers.moc"
