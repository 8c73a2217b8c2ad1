// Layer contract v2 end to end: a layer with two outputs (the test-only TwoHeads) builds, infers
// one shape per port, routes edges by port, trains through both outputs, and survives a project
// save/load; a sequence shape flows Reshape(sequence) → Dense over the last axis → Flatten →
// Dense with gradients matching finite differences (the shared checker, run on the whole model).
#include <QtTest>

#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/graph/analysis.h"
#include "engine/graph/ports.h"
#include "engine/io/project_io.h"
#include "engine/layers/registry.h"
#include "engine/model/model.h"
#include "engine/project/project.h"
#include "support/gradient_check.h"
#include "support/same_weights.h"
#include "support/test_layers.h"

using namespace netloom::engine;
using namespace netloom::test;

namespace {

Params withUnits(int64_t n) {
    Params p;
    p.set("units", n);
    return p;
}

Params shapeParams(const std::string& shape, bool sequence = false) {
    Params p;
    p.set("shape", shape);
    if (sequence) p.set("sequence", true);
    return p;
}

// x(4) → TwoHeads(3) ─a→ Dense(2) ─┐
//                    └b→ Dense(2) ─┴→ Add
Graph twoHeadsGraph() {
    Graph g;
    g.addNode({"in", "Input", "x", shapeParams("4")});
    g.addNode({"heads", "TestTwoHeads", "heads", withUnits(3)});
    g.addNode({"da", "Dense", "fromA", withUnits(2)});
    g.addNode({"db", "Dense", "fromB", withUnits(2)});
    g.addNode({"sum", "Add", "sum", {}});
    g.connect({"in", 0, "heads", 0});
    g.connect({"heads", 0, "da", 0});
    g.connect({"heads", 1, "db", 0});
    g.connect({"da", 0, "sum", 0});
    g.connect({"db", 0, "sum", 1});
    return g;
}

// x(12) → Reshape(4,3 seq) → Dense(5) → Flatten → Dense(2)
Graph sequenceGraph() {
    Graph g;
    g.addNode({"in", "Input", "x", shapeParams("12")});
    g.addNode({"seq", "Reshape", "steps", shapeParams("4,3", true)});
    g.addNode({"d1", "Dense", "perStep", withUnits(5)});
    g.addNode({"flat", "Flatten", "flat", {}});
    g.addNode({"d2", "Dense", "head", withUnits(2)});
    g.connect({"in", 0, "seq", 0});
    g.connect({"seq", 0, "d1", 0});
    g.connect({"d1", 0, "flat", 0});
    g.connect({"flat", 0, "d2", 0});
    return g;
}

Tensor randomBatch(int64_t n, const Shape& sample, uint64_t seed) {
    Tensor t(n, sample);
    Rng rng(seed);
    for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(-1.0f, 1.0f);
    return t;
}

// A whole model seen as one layer, so the shared gradient checker can compare the model's
// backward (input and every parameter) with finite differences of its forward.
class ModelAsLayer final : public SingleOutputLayer {
public:
    explicit ModelAsLayer(Model& m) : m_model(m) {}
    void prepare(int64_t, ComputeContext&) override {}
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        const Tensor& y = m_model.forward(*in[0], training);
        std::memcpy(out.data(), y.data(), sizeof(float) * size_t(y.size()));
    }
    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& g,
                  const std::vector<Tensor*>& gradIn) override {
        m_model.backward(g, gradIn.empty() ? nullptr : gradIn[0]);
    }
    std::vector<Parameter*> parameters() override { return m_model.parameters(); }

private:
    Model& m_model;
};

double meanSquared(const Tensor& y, const Tensor& target, Tensor& grad) {
    grad.resize(y.dims());
    double l = 0;
    for (int64_t i = 0; i < y.size(); ++i) {
        const double d = double(y[i]) - target[i];
        l += d * d;
        grad[i] = float(2 * d / double(y.size()));
    }
    return l / double(y.size());
}

}  // namespace

class TestMultiOutput : public QObject {
    Q_OBJECT
    std::unique_ptr<ScopedLayerRegistration> m_twoHeads;

private slots:
    void initTestCase() { m_twoHeads = std::make_unique<ScopedLayerRegistration>(twoHeadsDef()); }
    void cleanupTestCase() { m_twoHeads.reset(); }

    void twoOutputsInferOneShapeEach() {
        const GraphAnalysis a = analyzeGraph(twoHeadsGraph());
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        const NodeAnalysis& heads = a.nodes.at("heads");
        QCOMPARE(int(heads.outputs.size()), 2);
        QCOMPARE(heads.output, heads.outputs[0]);
        QCOMPARE(heads.outputs[1], (Shape{3}));
        QCOMPARE(a.nodes.at("db").inputs.at(0), heads.outputs[1]);  // routed by fromPort
        const Graph g = twoHeadsGraph();
        const Node& node = g.node("heads");
        QCOMPARE(outputPorts(node), 2);
        QCOMPARE(outputPortName(node, 1), std::string("b"));
    }

    void portRulesRefuseAMissingPort() {
        Graph g = twoHeadsGraph();
        g.addNode({"dc", "Dense", "fromC", withUnits(2)});
        const Edge third{"heads", 2, "dc", 0};
        const std::string why = connectionProblem(g, third);
        QVERIFY2(why.find("only 2 outputs") != std::string::npos, why.c_str());
        QVERIFY(connectionProblem(g, Edge{"heads", 1, "dc", 0}).empty());
        QVERIFY(!connectionProblem(g, Edge{"da", 1, "dc", 0}).empty());  // Dense: one output
        QVERIFY(connectionProblem(g, Edge{"dc", 0, "dc", 0}).find("itself") != std::string::npos);
        QVERIFY(connectionProblem(g, Edge{"heads", 1, "db", 0}).find("already fed") !=
                std::string::npos);
        QVERIFY(connectionProblem(g, Edge{"sum", 0, "heads", 0}).find("already fed") !=
                std::string::npos);
        // Free ports and names, as a card shows them.
        Graph open = g;
        open.disconnect({"db", 0, "sum", 1});
        QCOMPARE(freeInputPorts(open, open.node("sum")), std::vector<int>{1});
        QCOMPARE(inputPortName(open.node("sum"), 1), std::string("in 2"));
        QCOMPARE(outputPortName(open.node("da"), 0), std::string("out"));
        g.connect(third);  // the graph itself stores it; the analysis names the problem
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY(!a.ok());
        QVERIFY2(a.nodes.at("heads").error.find("connection leaves output 3") != std::string::npos,
                 a.nodes.at("heads").error.c_str());
    }

    // Output b unconsumed is fine; the network's output is the sink's port 0 even when the sink
    // itself has two outputs, and the model exposes the other one.
    void unconsumedOutputIsFine() {
        Graph g;
        g.addNode({"in", "Input", "x", shapeParams("4")});
        g.addNode({"heads", "TestTwoHeads", "heads", withUnits(3)});
        g.connect({"in", 0, "heads", 0});
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        QCOMPARE(a.outputNode, std::string("heads"));
        ComputeContext ctx(1);
        Model m(g, ctx);
        m.initialize(3, InitScheme::Default);
        QCOMPARE(int(m.outputShapes().size()), 2);
        const Tensor x = randomBatch(5, Shape{4}, 9);
        const Tensor y0 = m.forward(x, true);
        QCOMPARE(y0.dims(), (std::vector<int64_t>{5, 3}));
        QCOMPARE(m.output(1).dims(), (std::vector<int64_t>{5, 3}));
        // Gradient only for port 1: b and c learn, a gets a zero gradient.
        Tensor g1(5, Shape{3});
        g1.fill(1.0f);
        m.backward(std::vector<const Tensor*>{nullptr, &g1});
        for (Parameter* p : m.parameters()) {
            double sum = 0;
            for (int64_t i = 0; i < p->grad.size(); ++i) sum += std::fabs(p->grad[i]);
            if (p->name == "a")
                QCOMPARE(sum, 0.0);
            else
                QVERIFY2(sum > 0, p->name.c_str());
        }
    }

    // Both heads carry signal: the loss of a small regression falls, and both heads' weights get
    // gradients all along.
    void trainsThroughBothOutputs() {
        ComputeContext ctx(1);
        Model m(twoHeadsGraph(), ctx);
        m.initialize(11, InitScheme::Default);
        const Tensor x = randomBatch(32, Shape{4}, 5);
        Tensor target(32, Shape{2});
        for (int64_t s = 0; s < 32; ++s) {
            target[s * 2] = 0.8f * x[s * 4] - 0.5f * x[s * 4 + 1];
            target[s * 2 + 1] = 0.3f * x[s * 4 + 2] + 0.6f * x[s * 4 + 3];
        }
        Tensor grad;
        double first = 0, last = 0;
        for (int step = 0; step < 300; ++step) {
            last = meanSquared(m.forward(x, true), target, grad);
            if (step == 0) first = last;
            m.backward(grad);
            for (Parameter* p : m.parameters()) {
                if (p->name == "a" || p->name == "b") {
                    double norm = 0;
                    for (int64_t i = 0; i < p->grad.size(); ++i) norm += std::fabs(p->grad[i]);
                    QVERIFY2(norm > 0, ("no gradient reached head " + p->name).c_str());
                }
                for (int64_t i = 0; i < p->value.size(); ++i) p->value[i] -= 0.1f * p->grad[i];
            }
        }
        QVERIFY2(last < 0.2 * first, qPrintable(QString("loss %1 → %2").arg(first).arg(last)));
    }

    void twoOutputGradientsMatchFiniteDifferences() {
        ComputeContext ctx(1);
        Model m(twoHeadsGraph(), ctx);
        m.initialize(2, InitScheme::Default);
        checkModel(m, ctx, Shape{4});
    }

    void savesAndReloads() {
        ComputeContext ctx(1);
        Model m(twoHeadsGraph(), ctx);
        m.initialize(4, InitScheme::Default);
        Project p;
        p.model().graph = twoHeadsGraph();
        p.model().weights = m.weights();
        const Project back = parseProject(serializeProject(p), "memory");
        QVERIFY(back.model().graph == p.model().graph);
        QVERIFY(sameWeights(back.model().weights, p.model().weights));
        Model again(back.model().graph, ctx);
        again.loadWeights(back.model().weights);
        const Tensor x = randomBatch(3, Shape{4}, 8);
        const Tensor y1 = m.forward(x, false);
        const Tensor y2 = again.forward(x, false);
        QCOMPARE(y1.storage(), y2.storage());
    }

    void sequenceShapesFlow() {
        const GraphAnalysis a = analyzeGraph(sequenceGraph());
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        QCOMPARE(a.nodes.at("seq").output, Shape::sequenceOf({4, 3}));
        QCOMPARE(a.nodes.at("seq").output.toString(), std::string("4\u00d73 (seq)"));
        QCOMPARE(a.nodes.at("d1").output, Shape::sequenceOf({4, 5}));
        QCOMPARE(a.nodes.at("flat").output, (Shape{20}));
        QVERIFY(!a.nodes.at("flat").output.sequence);
        // Weights per step, not per sequence: 3·5 + 5.
        QCOMPARE(a.nodes.at("d1").parameters, int64_t{20});
        // Without the sequence option a 2-D shape is an image-like block: Dense refuses it.
        Graph g = sequenceGraph();
        g.findNode("seq")->params.set("sequence", false);
        const GraphAnalysis b = analyzeGraph(g);
        QVERIFY(!b.ok());
        QVERIFY2(b.nodes.at("d1").error.find("insert Flatten") != std::string::npos,
                 b.nodes.at("d1").error.c_str());
        // The text form reads back with its mark (Input shapes and subgraph cuts are text).
        QCOMPARE(parseShape("4x3 (seq)"), Shape::sequenceOf({4, 3}));
        QCOMPARE(parseShape(Shape::sequenceOf({4, 3}).toAsciiString()), Shape::sequenceOf({4, 3}));
    }

    // Dense over the last axis equals Dense applied to every step on its own.
    void denseActsOnEachStep() {
        const LayerDef* dense = findLayerDef("Dense");
        const Params p = normalizeParams(dense->schema(), withUnits(2), "t");
        ComputeContext ctx(1);
        auto seqLayer = dense->create({Shape::sequenceOf({3, 4})}, p);
        auto flatLayer = dense->create({Shape{4}}, p);
        Rng r1(5), r2(5);
        seqLayer->initialize(r1, InitScheme::Default);
        flatLayer->initialize(r2, InitScheme::Default);
        seqLayer->prepare(2, ctx);
        flatLayer->prepare(6, ctx);
        const Tensor x = randomBatch(2, Shape::sequenceOf({3, 4}), 3);
        Tensor xs = x;
        xs.resize({6, 4});
        Tensor y(2, Shape::sequenceOf({3, 2})), ys({6, 2});
        seqLayer->forward({&x}, y, false);
        flatLayer->forward({&xs}, ys, false);
        QCOMPARE(y.storage(), ys.storage());
    }

    // Softmax on a sequence normalises the features of each step, not the steps.
    void softmaxActsOnEachStep() {
        const LayerDef* softmax = findLayerDef("Softmax");
        ComputeContext ctx(1);
        auto layer = softmax->create({Shape::sequenceOf({3, 4})}, Params{});
        layer->prepare(2, ctx);
        const Tensor x = randomBatch(2, Shape::sequenceOf({3, 4}), 4);
        Tensor y(2, Shape::sequenceOf({3, 4}));
        layer->forward({&x}, y, false);
        for (int64_t row = 0; row < 6; ++row) {
            double sum = 0;
            for (int64_t f = 0; f < 4; ++f) sum += y[row * 4 + f];
            QVERIFY2(std::fabs(sum - 1.0) < 1e-5,
                     qPrintable(QString("step %1 sums to %2").arg(row).arg(sum)));
        }
    }

    void sequenceGradientsMatchFiniteDifferences() {
        ComputeContext ctx(1);
        Model m(sequenceGraph(), ctx);
        m.initialize(6, InitScheme::Default);
        checkModel(m, ctx, Shape{12});
    }

    void sequenceShapeSurvivesSaveAndLoad() {
        Project p;
        p.model().graph = sequenceGraph();
        const Project back = parseProject(serializeProject(p), "memory");
        const GraphAnalysis a = analyzeGraph(back.model().graph);
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        QCOMPARE(a.nodes.at("d1").output, Shape::sequenceOf({4, 5}));
    }

private:
    static void checkModel(Model& m, ComputeContext& ctx, const Shape& in) {
        ModelAsLayer layer(m);
        Tensor x = randomBatch(3, in, 21);
        Tensor y(3, m.outputShape());
        Rng rng(17);
        const std::string problem = checkLayerGradients({&layer, &ctx, {&x}, {&y}}, rng);
        QVERIFY2(problem.empty(), problem.c_str());
    }
};

QTEST_GUILESS_MAIN(TestMultiOutput)
#include "test_multi_output.moc"
