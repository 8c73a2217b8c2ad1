// Recurrent layers beyond the registry's gradient rows (test_layer_gradients runs every example of
// SimpleRNN, LSTM, GRU, Embedding, LastStep and SequenceMean) and PyTorch parity
// (test_recurrent_parity): ReLU SimpleRNN's gradients away from the kink, the state ports with and
// without gradients, repeated backward passes (oneDNN accumulates diff weights), batch-size
// changes, shapes/counts as `netloom info` shows them, clear errors, sequences through Dropout and
// a whole recurrent model's gradients and learning.
#include <omp.h>
#include <QtTest>

#include <cmath>
#include <cstring>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/layers/registry.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "support/gradient_check.h"
#include "support/test_support.h"

using namespace netloom::engine;
using namespace netloom::test;

namespace {

Params paramsFor(const LayerDef& def,
                 std::initializer_list<std::pair<const char*, ParamValue>> kv) {
    Params p;
    for (const auto& [k, v] : kv) p.set(k, v);
    return normalizeParams(def.schema(), p, def.type());
}

// One layer with its input batch and outputs, for the shared checker.
struct Rig {
    std::unique_ptr<Layer> layer;
    ComputeContext ctx{7};
    Tensor x;
    std::vector<Tensor> outs;

    Rig(const std::string& type, const Params& given, const Shape& in, int64_t batch,
        uint64_t seed = 3) {
        const LayerDef& def = *findLayerDef(type);
        const Params p = normalizeParams(def.schema(), given, type);
        const std::vector<Shape> shapes = def.inferShapes({in}, p);
        layer = def.create({in}, p);
        Rng r(seed);
        layer->initialize(r, InitScheme::Default);
        layer->prepare(batch, ctx);
        x.resize(batch, in);
        fillAwayFromKinks(x, r);
        outs.resize(shapes.size());
        for (size_t k = 0; k < shapes.size(); ++k) allocGuarded(outs[k], batch, shapes[k]);
    }
    LayerUnderTest underTest() {
        LayerUnderTest t{layer.get(), &ctx, {&x}, {}};
        for (Tensor& y : outs) t.outputs.push_back(&y);
        return t;
    }
};

Params rnnParams(int64_t units, int64_t layers, bool sequences) {
    Params p;
    p.set("units", units);
    p.set("layers", layers);
    p.set("return_sequences", sequences);
    return p;
}

Params shapeParams(const std::string& shape, bool sequence = false) {
    Params p;
    p.set("shape", shape);
    if (sequence) p.set("sequence", true);
    return p;
}

}  // namespace

class TestRecurrent : public QObject {
    Q_OBJECT
private slots:
    // Tiny layers gain nothing from a thread team, and on a busy machine a 2-thread team stalls
    // at every time step's barrier (100× slower here): one thread, as the parity suite.
    void initTestCase() { omp_set_num_threads(1); }

    // ReLU has a kink at 0; with positive inputs and weights every pre-activation is positive, so
    // finite differences see a smooth function (the registry rows use tanh, the default).
    void reluRnnGradients() {
        for (bool seq : {false, true}) {
            Params p = rnnParams(4, 2, seq);
            p.set("activation", std::string("relu"));
            Rig rig("SimpleRNN", p, Shape::sequenceOf({4, 3}), 3);
            for (int64_t i = 0; i < rig.x.size(); ++i) rig.x[i] = std::fabs(rig.x[i]);
            Rng r(11);
            for (Parameter* prm : rig.layer->parameters())
                for (int64_t i = 0; i < prm->value.size(); ++i)
                    prm->value[i] = r.uniform(0.05f, 0.3f);
            const std::string problem = checkLayerGradients(rig.underTest(), r);
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // Each state port may be consumed alone, or not at all: an absent gradient counts as zero.
    void statePortsWithAndWithoutGradients_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("sequences");
        for (const char* t : {"LSTM", "GRU"})
            for (bool s : {false, true})
                QTest::newRow((std::string(t) + (s ? "/sequences" : "/last")).c_str())
                    << QString(t) << s;
    }
    void statePortsWithAndWithoutGradients() {
        QFETCH(QString, type);
        QFETCH(bool, sequences);
        const int ports = type == "LSTM" ? 3 : 2;
        for (int only = 0; only < ports; ++only) {
            Rig rig(type.toStdString(), rnnParams(4, 2, sequences), Shape::sequenceOf({4, 3}), 2);
            std::vector<bool> with(size_t(ports), false);
            with[size_t(only)] = true;
            Rng r(5 + uint64_t(only));
            const std::string problem = checkLayerGradients(rig.underTest(), r, {}, with);
            QVERIFY2(problem.empty(), qPrintable(QString("only port %1: ").arg(only + 1) +
                                                 QString::fromStdString(problem)));
        }
    }

    // In last-step mode the main output is the last layer's final hidden state (port h).
    void lastStepEqualsFinalHidden() {
        Rig rig("LSTM", rnnParams(5, 2, false), Shape::sequenceOf({6, 3}), 4);
        rig.layer->forward({&rig.x}, {&rig.outs[0], &rig.outs[1], &rig.outs[2]}, false);
        for (int64_t i = 0; i < rig.outs[0].size(); ++i) QCOMPARE(rig.outs[0][i], rig.outs[1][i]);
        bool differs = false;
        for (int64_t i = 0; i < rig.outs[0].size(); ++i)
            differs |= rig.outs[0][i] != rig.outs[2][i];
        QVERIFY(differs);  // c is not h
    }

    // oneDNN 2.6 adds into diff weights: two backward passes must still give the same gradient,
    // and a batch-size change (another cached primitive set) and back must not change results.
    void repeatedBackwardAndBatchChanges() {
        for (const char* type : {"SimpleRNN", "LSTM", "GRU"}) {
            Rig rig(type, rnnParams(4, 2, true), Shape::sequenceOf({5, 3}), 3);
            std::vector<const Tensor*> outsConst;
            std::vector<Tensor*> outs;
            std::vector<Tensor> g(rig.outs.size());
            std::vector<const Tensor*> gp;
            for (size_t k = 0; k < rig.outs.size(); ++k) {
                outs.push_back(&rig.outs[k]);
                outsConst.push_back(&rig.outs[k]);
                g[k].resize(rig.outs[k].dims());
                g[k].fill(0.5f);
                gp.push_back(&g[k]);
            }
            Tensor dx1(rig.x.dims()), dx2(rig.x.dims());
            auto pass = [&](Tensor& dx) {
                rig.layer->forward({&rig.x}, outs, true);
                rig.layer->backward({&rig.x}, outsConst, gp, {&dx});
                std::vector<Tensor> grads;
                for (Parameter* p : rig.layer->parameters()) grads.push_back(p->grad);
                return grads;
            };
            const std::vector<Tensor> first = pass(dx1);
            const Tensor y1 = rig.outs[0];
            // Another batch size in between.
            Tensor small(1, Shape::sequenceOf({5, 3}));
            std::memcpy(small.data(), rig.x.data(), sizeof(float) * size_t(small.size()));
            rig.layer->prepare(1, rig.ctx);
            std::vector<Tensor> smallOuts(rig.outs.size());
            std::vector<Tensor*> smallPtrs;
            for (size_t k = 0; k < rig.outs.size(); ++k) {
                Shape s = rig.outs[k].sampleShape();
                smallOuts[k].resize(1, s);
                smallPtrs.push_back(&smallOuts[k]);
            }
            rig.layer->forward({&small}, smallPtrs, false);
            // The first sample's output is the same at batch 1 as at batch 3.
            for (int64_t i = 0; i < smallOuts[0].size(); ++i)
                QVERIFY(std::fabs(smallOuts[0][i] - y1[i]) < 1e-5f);
            rig.layer->prepare(3, rig.ctx);
            const std::vector<Tensor> second = pass(dx2);
            for (size_t k = 0; k < first.size(); ++k)
                QVERIFY2(first[k].storage() == second[k].storage(),
                         qPrintable(QString("%1: gradient %2 changed on the second backward")
                                        .arg(type)
                                        .arg(k)));
            QVERIFY(dx1.storage() == dx2.storage());
        }
    }

    // What `netloom info` shows: PyTorch's parameter counts (nn.LSTM(28, 128) has 80 896) and
    // FLOPs that grow with steps, layers and gates.
    void countsMatchPytorch() {
        const std::vector<Shape> in{Shape::sequenceOf({28, 28})};
        const Params one =
            normalizeParams(findLayerDef("LSTM")->schema(), rnnParams(128, 1, false), "LSTM");
        QCOMPARE(findLayerDef("LSTM")->parameterCount(in, one), int64_t{80896});
        QCOMPARE(findLayerDef("GRU")->parameterCount(in, one), int64_t{60672});
        QCOMPARE(findLayerDef("SimpleRNN")
                     ->parameterCount(in, normalizeParams(findLayerDef("SimpleRNN")->schema(),
                                                          rnnParams(128, 1, false), "SimpleRNN")),
                 int64_t{20224});
        const Params two =
            normalizeParams(findLayerDef("LSTM")->schema(), rnnParams(128, 2, false), "LSTM");
        // nn.LSTM(28, 128, num_layers=2): 80 896 + 4·128·(128+128) + 2·4·128.
        QCOMPARE(findLayerDef("LSTM")->parameterCount(in, two), int64_t{80896 + 131072 + 1024});
        const auto outs = findLayerDef("LSTM")->inferShapes(in, one);
        const int64_t flops = findLayerDef("LSTM")->flops(in, outs, one);
        QCOMPARE(flops, int64_t{28 * (2 * 512 * (28 + 128) + 4 * 512)});
        QVERIFY(findLayerDef("GRU")->flops(in, outs, one) < flops);
        const Params emb = paramsFor(*findLayerDef("Embedding"),
                                     {{"vocabulary", int64_t{30}}, {"dim", int64_t{16}}});
        QCOMPARE(findLayerDef("Embedding")->parameterCount({Shape{10}}, emb), int64_t{480});
    }

    void shapesAndPorts() {
        const LayerDef& lstm = *findLayerDef("LSTM");
        const std::vector<Shape> in{Shape::sequenceOf({7, 3})};
        const auto last =
            lstm.inferShapes(in, normalizeParams(lstm.schema(), rnnParams(5, 1, false), "LSTM"));
        QCOMPARE(last, (std::vector<Shape>{Shape{5}, Shape{5}, Shape{5}}));
        const auto seq =
            lstm.inferShapes(in, normalizeParams(lstm.schema(), rnnParams(5, 1, true), "LSTM"));
        QCOMPARE(seq[0], Shape::sequenceOf({7, 5}));
        const Params p = normalizeParams(lstm.schema(), {}, "LSTM");
        QCOMPARE(lstm.ports(p).outputs, (std::vector<std::string>{"out", "h", "c"}));
        QCOMPARE(findLayerDef("GRU")->ports(p).outputs, (std::vector<std::string>{"out", "h"}));
        QCOMPARE(findLayerDef("SimpleRNN")->outputCount(p), 1);
        QCOMPARE(lstm.category(), std::string("Recurrent"));
        for (const ParamSpec& s : lstm.schema()) QVERIFY2(!s.help.empty(), s.key.c_str());
        QCOMPARE(findLayerDef("Embedding")
                     ->inferShapes({Shape{9}},
                                   paramsFor(*findLayerDef("Embedding"), {{"dim", int64_t{4}}}))[0],
                 Shape::sequenceOf({9, 4}));
    }

    void clearErrors() {
        const LayerDef& lstm = *findLayerDef("LSTM");
        const Params p = normalizeParams(lstm.schema(), {}, "LSTM");
        const QString image = errorOf([&] { lstm.inferShapes({Shape{1, 28, 28}}, p); });
        QVERIFY2(image.contains("expects a sequence") && image.contains("Reshape"),
                 qPrintable(image));
        // Without the sequence mark a 28×28 block is not read as steps.
        QVERIFY(!errorOf([&] { lstm.inferShapes({Shape{28, 28}}, p); }).isEmpty());
        QVERIFY(
            !errorOf([&] { findLayerDef("LastStep")->inferShapes({Shape{12}}, {}); }).isEmpty());

        const LayerDef& emb = *findLayerDef("Embedding");
        const Params ep = paramsFor(emb, {{"vocabulary", int64_t{10}}, {"dim", int64_t{3}}});
        auto layer = emb.create({Shape{4}}, ep);
        ComputeContext ctx;
        layer->prepare(2, ctx);
        Tensor ids(2, Shape{4}), y(2, Shape::sequenceOf({4, 3}));
        for (int64_t i = 0; i < ids.size(); ++i) ids[i] = float(i);
        layer->forward({&ids}, y, false);  // ids 0..7 are fine
        ids[6] = 12;
        const QString outside = errorOf([&] { layer->forward({&ids}, y, false); });
        QVERIFY2(outside.contains("sample 2, step 3") && outside.contains("0..9") &&
                     outside.contains("Vocabulary size"),
                 qPrintable(outside));
        ids[6] = 2.5f;
        QVERIFY(errorOf([&] { layer->forward({&ids}, y, false); }).contains("not a token id"));
        ids[6] = -1;
        QVERIFY(!errorOf([&] { layer->forward({&ids}, y, false); }).isEmpty());
        QVERIFY(errorOf([&] { emb.inferShapes({Shape{2, 3}}, ep); }).contains("token ids"));
    }

    // Embedding's backward adds up the gradients of repeated ids.
    void embeddingScatterAdds() {
        const LayerDef& emb = *findLayerDef("Embedding");
        auto layer = emb.create({Shape{3}},
                                paramsFor(emb, {{"vocabulary", int64_t{4}}, {"dim", int64_t{2}}}));
        ComputeContext ctx;
        layer->prepare(2, ctx);
        Tensor ids(2, Shape{3}), y(2, Shape::sequenceOf({3, 2})), g(2, Shape::sequenceOf({3, 2}));
        const float idv[] = {1, 1, 3, 0, 1, 3};
        for (int i = 0; i < 6; ++i) ids[i] = idv[i];
        for (int64_t i = 0; i < g.size(); ++i) g[i] = float(i + 1);
        Tensor dx(2, Shape{3});
        dx.fill(7);
        layer->forward({&ids}, y, true);
        layer->backward({&ids}, y, g, {&dx});
        const Tensor& gw = layer->parameters()[0]->grad;
        // id 1 at flat positions 0, 1, 4: rows (1,2)+(3,4)+(9,10); id 3 at 2, 5; id 0 at 3; id 2
        // never.
        QCOMPARE(gw[2], 13.0f);
        QCOMPARE(gw[3], 16.0f);
        QCOMPARE(gw[6], 5.0f + 11.0f);
        QCOMPARE(gw[0], 7.0f);
        QCOMPARE(gw[4], 0.0f);
        for (int64_t i = 0; i < dx.size(); ++i) QCOMPARE(dx[i], 0.0f);
    }

    // Dropout keeps the sequence mark and masks single values; a per-step Dense and SequenceMean
    // follow; the whole model's gradients match finite differences.
    void sequenceModelGradients() {
        Graph g;
        g.addNode({"in", "Input", "x", shapeParams("12")});
        g.addNode({"seq", "Reshape", "steps", shapeParams("6,2", true)});
        Params drop;
        drop.set("rate", 0.3);
        g.addNode({"drop", "Dropout", "drop", drop});
        g.addNode({"gru", "GRU", "gru", rnnParams(5, 1, true)});
        Params d;
        d.set("units", int64_t{3});
        g.addNode({"perStep", "Dense", "perStep", d});
        g.addNode({"mean", "SequenceMean", "mean", {}});
        g.addNode({"lstm_in", "Reshape", "again", shapeParams("1,3", true)});
        g.addNode({"lstm", "LSTM", "lstm", rnnParams(4, 1, false)});
        g.connect({"in", 0, "seq", 0});
        g.connect({"seq", 0, "drop", 0});
        g.connect({"drop", 0, "gru", 0});
        g.connect({"gru", 0, "perStep", 0});
        g.connect({"perStep", 0, "mean", 0});
        g.connect({"mean", 0, "lstm_in", 0});
        g.connect({"lstm_in", 0, "lstm", 0});
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY2(a.ok(), a.firstProblem().c_str());
        QCOMPARE(a.nodes.at("drop").output, Shape::sequenceOf({6, 2}));
        QCOMPARE(a.nodes.at("perStep").output, Shape::sequenceOf({6, 3}));
        QCOMPARE(a.nodes.at("mean").output, Shape{3});

        ComputeContext ctx(1);
        Model m(g, ctx);
        m.initialize(4, InitScheme::Default);
        struct ModelLayer final : SingleOutputLayer {
            Model& m;
            explicit ModelLayer(Model& mm) : m(mm) {}
            void prepare(int64_t, ComputeContext&) override {}
            void forward(const std::vector<const Tensor*>& in, Tensor& out, bool tr) override {
                const Tensor& y = m.forward(*in[0], tr);
                std::memcpy(out.data(), y.data(), sizeof(float) * size_t(y.size()));
            }
            void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gy,
                          const std::vector<Tensor*>& gi) override {
                m.backward(gy, gi.empty() ? nullptr : gi[0]);
            }
            std::vector<Parameter*> parameters() override { return m.parameters(); }
        } layer(m);
        Tensor x(3, Shape{12});
        Rng r(9);
        fillAwayFromKinks(x, r);
        Tensor y(3, m.outputShape());
        const std::string problem = checkLayerGradients({&layer, &ctx, {&x}, {&y}}, r);
        QVERIFY2(problem.empty(), problem.c_str());
    }

    // An LSTM learns a task only memory solves: report the sign of the first step's value after
    // seven more noisy steps. Adam, 300 steps, loss must fall well below chance.
    void lstmLearnsToRemember() {
        Graph g;
        g.addNode({"in", "Input", "x", shapeParams("8")});
        g.addNode({"seq", "Reshape", "steps", shapeParams("8,1", true)});
        g.addNode({"lstm", "LSTM", "lstm", rnnParams(12, 1, false)});
        Params d;
        d.set("units", int64_t{1});
        g.addNode({"out", "Dense", "out", d});
        g.connect({"in", 0, "seq", 0});
        g.connect({"seq", 0, "lstm", 0});
        g.connect({"lstm", 0, "out", 0});
        ComputeContext ctx(1);
        Model m(g, ctx);
        m.initialize(1, InitScheme::Default);
        auto opt = createOptimizer(OptimizerConfig().withLr(0.02));
        std::vector<Parameter*> params = m.parameters();
        Rng r(3);
        Tensor x(64, Shape{8}), target(64, Shape{1}), grad(64, Shape{1});
        double first = 0, last = 0;
        for (int step = 0; step < 300; ++step) {
            for (int64_t s = 0; s < 64; ++s) {
                for (int t = 0; t < 8; ++t) x[s * 8 + t] = r.uniform(-1, 1);
                target[s] = x[s * 8] > 0 ? 1.0f : -1.0f;
            }
            const Tensor& y = m.forward(x, true);
            double loss = 0;
            for (int64_t s = 0; s < 64; ++s) {
                const double e = double(y[s]) - target[s];
                loss += e * e / 64;
                grad[s] = float(2 * e / 64);
            }
            if (step < 5) first += loss / 5;
            if (step >= 295) last += loss / 5;
            m.backward(grad);
            opt->step(params);
        }
        QVERIFY2(first > 0.8 && last < 0.25,
                 qPrintable(QString("mean squared error %1 → %2").arg(first).arg(last)));
    }
};

QTEST_GUILESS_MAIN(TestRecurrent)
#include "test_recurrent.moc"
