// Transfer learning in the engine: frozen layers and learning-rate multipliers in real training
// on Fashion-MNIST, their place in the project file, and copying trained layers from one
// project's network into another (planLayerImport) with its refusals.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/graph/analysis.h"
#include "engine/io/project_io.h"
#include "engine/io/project_migrate.h"
#include "engine/layers/training_params.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/project/layer_import.h"
#include "engine/project/project.h"
#include "engine/tasks/trainer_for.h"
#include "support/same_weights.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::Error;
using netloom::test::errorOf;
using netloom::test::sampleFile;
using json = nlohmann::json;

namespace {

Project sample(const std::string& name) {
    return loadProject(sampleFile(name));
}

Node& nodeNamed(Graph& g, const std::string& name) {
    for (const Node& n : g.nodes())
        if (n.name == name) return *g.findNode(n.id);
    throw Error("no node " + name);
}

void freeze(Node& n) {
    n.params = withFrozen(n.params, true);
}
void setMultiplier(Node& n, double m) {
    n.params = withLrMultiplier(n.params, m);
}

// The weights a fresh model of `g` starts from with this seed.
WeightSet initialWeights(const Graph& g, const TrainingConfig& c) {
    ComputeContext ctx;
    Model m(g, ctx);
    m.initialize(c.seed, parseInitScheme(c.init));
    return m.weights();
}

bool bitIdentical(const std::map<std::string, Tensor>& a, const std::map<std::string, Tensor>& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [name, t] : a) {
        const Tensor& u = b.at(name);
        if (t.dims() != u.dims() ||
            std::memcmp(t.data(), u.data(), sizeof(float) * size_t(t.size())) != 0)
            return false;
    }
    return true;
}

TrainingConfig shortRun(const Project& p, int64_t samples, int64_t epochs) {
    TrainingConfig c = p.training;
    c.epochs = epochs;
    c.dataset.limitTrain = samples;
    c.dataset.limitTest = 500;
    c.threads = 1;
    return c;
}

WeightSet train(const Graph& g, const TrainingConfig& c, const WeightSet& start,
                RunRecord* record = nullptr) {
    Trainer t = trainerFor(g, c, start);
    RunRecord r = t.run([](const RunEvent&) {});
    if (r.status != "finished") throw Error("run " + r.status + ": " + r.message);
    if (record) *record = r;
    return t.weights();
}

}  // namespace

class TestTransfer : public QObject {
    Q_OBJECT
private slots:
    // A frozen layer comes out of a real run bit for bit as it went in, with Adam, weight decay
    // and L2 all on; the trainable layers around it learn.
    void frozenWeightsStayBitIdenticalInTraining() {
        Project p = sample("fashion-mlp.netloom");
        Graph g = p.model().graph;
        freeze(nodeNamed(g, "fc1"));
        TrainingConfig c = shortRun(p, 2000, 2);
        c.optimizer.weightDecay = 1e-3;
        c.optimizer.l2 = 1e-4;
        const WeightSet start = initialWeights(g, c);
        RunRecord record;
        const WeightSet end = train(g, c, start, &record);
        const std::string fc1 = nodeNamed(g, "fc1").id;
        QVERIFY(bitIdentical(start.at(fc1), end.at(fc1)));
        for (const char* name : {"fc2", "fc3"}) {
            const std::string id = nodeNamed(g, name).id;
            QVERIFY2(!bitIdentical(start.at(id), end.at(id)), name);
        }
        // Frozen features still classify: the heads learned on top of them.
        QVERIFY2(record.testAccuracy > 0.6, qPrintable(QString::number(record.testAccuracy)));
    }

    // The optimizer keeps no state for frozen parameters (and none for a multiplier of 0):
    // the checkpoint's and rollback's view of its state lists only the trainable positions.
    void frozenParametersHaveNoOptimizerState() {
        Project p = sample("fashion-mlp.netloom");
        Graph g = p.model().graph;
        freeze(nodeNamed(g, "fc1"));
        setMultiplier(nodeNamed(g, "fc2"), 0.0);
        ComputeContext ctx;
        Model model(g, ctx);
        model.initialize(1, InitScheme::Default);
        std::vector<Parameter*> params = model.parameters();
        QCOMPARE(params.size(), size_t(6));  // weight and bias of fc1, fc2, fc3
        auto opt = createOptimizer(OptimizerConfig().withType("adam"));
        Tensor input({8, 1, 28, 28});
        for (int64_t i = 0; i < input.size(); ++i) input[i] = float(i % 17) / 17.0f;
        const Tensor& out = model.forward(input, true);
        Tensor grad(out.dims());
        for (int64_t i = 0; i < grad.size(); ++i) grad[i] = 0.01f * float(i % 5);
        model.backward(grad);
        opt->step(params);
        std::set<std::string> positions;
        for (const auto& [name, tensor] : opt->state(params))
            positions.insert(name.substr(0, name.find('.')));
        QVERIFY(positions == (std::set<std::string>{"4", "5"}));  // fc3's weight and bias only
        for (size_t i = 0; i < 4; ++i) QVERIFY(params[i]->frozen);
    }

    // A multiplier of 0 is a freeze: bit-identical after a real run, like frozen.
    void zeroMultiplierActsLikeFrozen() {
        Project p = sample("fashion-mlp.netloom");
        Graph g = p.model().graph;
        setMultiplier(nodeNamed(g, "fc2"), 0.0);
        TrainingConfig c = shortRun(p, 1000, 1);
        const WeightSet start = initialWeights(g, c);
        const WeightSet end = train(g, c, start);
        const std::string fc2 = nodeNamed(g, "fc2").id;
        QVERIFY(bitIdentical(start.at(fc2), end.at(fc2)));
        QVERIFY(!bitIdentical(start.at(nodeNamed(g, "fc1").id), end.at(nodeNamed(g, "fc1").id)));
    }

    // One SGD step (one batch of 64) with fc1 at ×0.5 moves fc1 by half the step it takes at
    // ×1 (same weights, same batch, so the same gradient), and every other layer the same.
    void halfMultiplierGivesHalfTheSgdStep() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = shortRun(p, 64, 1);
        c.optimizer = OptimizerConfig().withType("sgd").withLr(0.1);
        Graph full = p.model().graph;
        Graph half = full;
        setMultiplier(nodeNamed(half, "fc1"), 0.5);
        const WeightSet start = initialWeights(full, c);
        const WeightSet a = train(full, c, start), b = train(half, c, start);
        for (const Node& n : full.nodes()) {
            if (!start.count(n.id)) continue;
            const double factor = n.name == "fc1" ? 0.5 : 1.0;
            for (const auto& [name, w0] : start.at(n.id)) {
                const Tensor& wa = a.at(n.id).at(name);
                const Tensor& wb = b.at(n.id).at(name);
                double moved = 0;
                for (int64_t i = 0; i < w0.size(); ++i) {
                    const double stepA = double(wa[i]) - w0[i], stepB = double(wb[i]) - w0[i];
                    moved += std::abs(stepA);
                    // float rounding of w0 + step: a few ulps of the weight
                    QVERIFY2(std::abs(stepB - factor * stepA) <= 1e-6 + 1e-6 * std::abs(w0[i]),
                             qPrintable(QString("%1.%2[%3]: %4 vs %5")
                                            .arg(n.name.c_str(), name.c_str())
                                            .arg(i)
                                            .arg(stepB)
                                            .arg(factor * stepA)));
                }
                QVERIFY2(moved > 1e-3, n.name.c_str());  // the step is not trivially zero
            }
        }
    }

    // The PyTorch script trains what NetLoom trains: frozen layers get requires_grad off and
    // no optimizer group, multiplied layers a group of their own rate.
    void pytorchExportCarriesFrozenAndMultipliers() {
        Project p = sample("fashion-mlp.netloom");
        freeze(nodeNamed(p.model().graph, "fc1"));
        setMultiplier(nodeNamed(p.model().graph, "fc2"), 0.5);
        const std::string dir = (netloom::test::tempDir() + "/torch-frozen").toStdString();
        const PyTorchExportReport report = exportPyTorch(p, dir);
        QVERIFY2(report.ok(), report.text().c_str());
        QFile script(QString::fromStdString(dir + "/model.py"));
        QVERIFY(script.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(script.readAll());
        QVERIFY2(
            text.contains(
                R"(LR_MULTIPLIERS = json.loads(r"""{"model":{"fc1.bias":0.0,"fc1.weight":0.0,"fc2.bias":0.5,"fc2.weight":0.5}}""")"),
            qPrintable(text.section("LR_MULTIPLIERS", 1, 1).left(200)));
        QVERIFY(text.contains("p.requires_grad_(False)"));
    }

    // ---- the project file ----------------------------------------------------------------

    void frozenAndMultiplierRoundTrip() {
        Project p = sample("fashion-mlp.netloom");
        freeze(nodeNamed(p.model().graph, "fc1"));
        setMultiplier(nodeNamed(p.model().graph, "fc2"), 0.25);
        const std::string text = serializeProject(p);
        const json doc = json::parse(text);
        QCOMPARE(doc["version"].get<int>(), kProjectVersion);
        const json& nodes = doc["networks"][0]["nodes"];
        QCOMPARE(nodes[2]["params"]["frozen"], json(true));
        QCOMPARE(nodes[4]["params"]["lr_multiplier"], json(0.25));
        QVERIFY(!nodes[3]["params"].contains("frozen"));  // defaults are not written
        QVERIFY(!nodes[3]["params"].contains("lr_multiplier"));
        // Unfreezing and a multiplier back at 1 remove the keys again.
        Node fc1 = *p.model().graph.findNodeByName("fc1");
        QVERIFY(withLrMultiplier(withFrozen(fc1.params, false), 1.0) ==
                Project(sample("fashion-mlp.netloom")).model().graph.findNodeByName("fc1")->params);
        const Project q = parseProject(text, "round-trip");
        QVERIFY(q.model().graph == p.model().graph);
        QCOMPARE(serializeProject(q), text);
    }

    // A version 1 file (before transfer learning) opens: every layer trainable at ×1.
    void versionOneFilesOpen() {
        const std::string v1 = R"({"format": "netloom-project", "version": 1,
            "networks": [{"nodes": [{"id": "a", "type": "Input", "params": {"shape": "4"}},
                                    {"id": "b", "type": "Dense", "params": {"units": 3}}],
                          "edges": [{"from": "a", "fromPort": 0, "to": "b", "toPort": 0}]}]})";
        json doc = json::parse(v1);
        const json before = doc;
        migrateProject(doc, 1);
        // The nodes are not rewritten (absent fields are the old behaviour); the network only
        // gains the editor's empty group list, the other change of version 2.
        json expected = before;
        expected["networks"][0]["groups"] = json::array();
        QCOMPARE(doc, expected);
        const Project p = parseProject(v1, "v1");
        for (const Node& n : p.model().graph.nodes()) {
            QVERIFY(!isFrozen(n.params));
            QCOMPARE(lrMultiplierOf(n.params), 1.0);
        }
        QCOMPARE(json::parse(serializeProject(p))["version"].get<int>(), kProjectVersion);
    }

    void badMultipliersAreRefusedWithTheLayerNamed() {
        Project p = sample("fashion-mlp.netloom");
        json doc = json::parse(serializeProject(p));
        doc["networks"][0]["nodes"][2]["params"]["lr_multiplier"] = -1;
        QString e = errorOf([&] { parseProject(doc.dump(), "bad.netloom"); });
        QVERIFY2(e.contains("/networks/0/nodes/2/params/lr_multiplier") && e.contains("got -1") &&
                     e.contains("fc1"),
                 qPrintable(e));
        doc["networks"][0]["nodes"][2]["params"]["lr_multiplier"] = nullptr;  // how NaN is written
        e = errorOf([&] { parseProject(doc.dump(), "bad.netloom"); });
        QVERIFY2(e.contains("params/lr_multiplier") && e.contains("got null"), qPrintable(e));
        doc["networks"][0]["nodes"][2]["params"]["lr_multiplier"] = 2;
        doc["networks"][0]["nodes"][2]["params"]["frozen"] = "yes";
        e = errorOf([&] { parseProject(doc.dump(), "bad.netloom"); });
        QVERIFY2(e.contains("params/frozen") && e.contains("true or false"), qPrintable(e));

        // The analysis (the editor's problems, a run's start) and the writer refuse it too.
        setMultiplier(nodeNamed(p.model().graph, "fc2"), std::nan(""));
        const GraphAnalysis a = analyzeGraph(p.model().graph);
        QVERIFY(!a.ok());
        const QString problem = QString::fromStdString(a.firstProblem());
        QVERIFY2(problem.contains("fc2") && problem.contains("LR multiplier"), qPrintable(problem));
        e = errorOf([&] { serializeProject(p); });
        QVERIFY2(e.contains("fc2") && e.contains("LR multiplier"), qPrintable(e));
        TrainingConfig c = shortRun(p, 64, 1);
        e = errorOf([&] { train(p.model().graph, c, {}); });
        QVERIFY2(e.contains("fc2"), qPrintable(e));
    }

    // ---- importing trained layers ----------------------------------------------------------

    // The autoencoder's encoder (enc1, relu1, code) lands in the MLP after its Flatten with the
    // trained weights unchanged, fresh ids and names, and a run can start from them.
    void importsTrainedLayersAndWiresThem() {
        Project ae = sample("fashion-autoencoder.netloom");
        TrainingConfig c = shortRun(ae, 500, 1);
        ae.model().weights = train(ae.model().graph, c, {});
        Graph& src = ae.model().graph;
        LayerImportRequest req;
        req.nodeIds = {nodeNamed(src, "code").id, nodeNamed(src, "enc1").id,
                       nodeNamed(src, "relu1").id};
        Project mlp = sample("fashion-mlp.netloom");
        req.attachTo = nodeNamed(mlp.model().graph, "flatten").id;
        req.sourceName = "fashion-autoencoder";
        req.x = 100;
        req.y = 400;
        const LayerImport imp = planLayerImport(ae.model(), mlp.model(), req);
        QCOMPARE(imp.nodes.size(), size_t(3));
        QCOMPARE(imp.nodes[0].name, std::string("enc1"));
        QCOMPARE(imp.nodes[1].name, std::string("relu1_2"));  // the MLP has its own relu1
        QCOMPARE(imp.nodes[2].name, std::string("code"));
        for (const Node& n : imp.nodes) QVERIFY(!mlp.model().graph.findNode(n.id));
        QCOMPARE(imp.edges.size(), size_t(3));  // enc1→relu1_2→code, flatten→enc1
        QVERIFY(bitIdentical(imp.weights.at(imp.nodes[0].id),
                             ae.model().weights.at(nodeNamed(src, "enc1").id)));
        QVERIFY(bitIdentical(imp.weights.at(imp.nodes[2].id),
                             ae.model().weights.at(nodeNamed(src, "code").id)));
        QVERIFY(imp.untrained.empty());
        QCOMPARE(imp.layout.at(imp.nodes[0].id).y, 400.0);

        // Applied, the copied layers analyse with the shapes they were trained for (the MLP
        // now has two heads until the user wires or deletes one: a graph-level problem only).
        Network net = mlp.model();
        for (const Node& n : imp.nodes) net.graph.addNode(n);
        for (const Edge& e : imp.edges) net.graph.connect(e);
        const GraphAnalysis a = analyzeGraph(net.graph);
        QVERIFY(a.nodes.at(imp.nodes[0].id).ok);
        QCOMPARE(a.nodes.at(imp.nodes[2].id).output, Shape({32}));  // the sample's code
        // A classifier built from them loads the imported tensors as they are.
        Graph head = net.graph;
        for (const char* name : {"fc1", "relu1", "fc2", "relu2", "fc3"})
            head.removeNode(nodeNamed(head, name).id);
        Node out{"out", "Dense", "out", {}};
        out.params.set("units", int64_t{10});
        head.addNode(out);
        head.connect({imp.nodes[2].id, 0, "out", 0});
        ComputeContext ctx;
        Model probe(head, ctx);
        probe.initialize(1, InitScheme::Default);
        QCOMPARE(probe.loadFittingWeights(imp.weights), std::vector<std::string>{"out"});
        QVERIFY(bitIdentical(probe.weights().at(imp.nodes[0].id), imp.weights.at(imp.nodes[0].id)));
    }

    // Attached where the input has another shape, the import is refused naming the layer, the
    // shapes and the reason.
    void refusesLayersWhoseShapesDoNotFit() {
        Project ae = sample("fashion-autoencoder.netloom");
        ae.model().weights = initialWeights(ae.model().graph, ae.training);
        LayerImportRequest req;
        req.nodeIds = {nodeNamed(ae.model().graph, "enc1").id};
        req.sourceName = "fashion-autoencoder";
        Project cnn = sample("fashion-cnn.netloom");
        req.attachTo = nodeNamed(cnn.model().graph, "fc1").id;  // gives 128 values, not 784
        const QString e = errorOf([&] { planLayerImport(ae.model(), cnn.model(), req); });
        QVERIFY2(e.contains("'enc1' does not fit after 'fc1'") && e.contains("256×784") &&
                     e.contains("256×128") && e.contains("784") &&
                     e.contains("fashion-autoencoder"),
                 qPrintable(e));
        // A layer chosen in the middle of a branch point has nothing single to attach to.
        req.nodeIds = {nodeNamed(ae.model().graph, "image").id};
        QVERIFY(errorOf([&] {
                    planLayerImport(ae.model(), cnn.model(), req);
                }).contains("nothing for 'fc1' to feed"));
        req.nodeIds = {"n99"};
        QVERIFY(errorOf([&] {
                    planLayerImport(ae.model(), cnn.model(), req);
                }).contains("no layer with id 'n99'"));
        req.nodeIds.clear();
        QVERIFY(errorOf([&] {
                    planLayerImport(ae.model(), cnn.model(), req);
                }).contains("choose at least one layer"));
        // Unconnected, the same layer imports; its fit is then the editor's business.
        req.nodeIds = {nodeNamed(ae.model().graph, "enc1").id};
        req.attachTo.clear();
        QCOMPARE(planLayerImport(ae.model(), cnn.model(), req).nodes.size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestTransfer)
#include "test_transfer.moc"
