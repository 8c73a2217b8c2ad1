// MultiHeadAttention: gradients against finite differences (self, causal, cross, with and
// without bias, 1–8 heads, attention dropout), forward and backward against PyTorch's
// nn.MultiheadAttention with the same weights (the checked-in fixture always, a live torch run
// when /usr/bin/python3 has torch), no oneDNN reference kernel among its primitives, the shape
// rules' refusals, and the attention maps InferenceSession reads for live views.
#include <omp.h>
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/infer/inference_session.h"
#include "engine/layers/registry.h"
#include "support/gradient_check.h"
#include "support/test_support.h"
#include "support/torch_parity.h"

using namespace netloom::engine;
using netloom::test::compareWithTorch;
using netloom::test::formulaTensor;
using json = nlohmann::json;

namespace {

double g_worstRel = 0;  // the largest relative difference of one parity run, for the log

const LayerDef& mhaDef() {
    const LayerDef* def = findLayerDef("MultiHeadAttention");
    if (!def) throw std::runtime_error("MultiHeadAttention is not registered");
    return *def;
}

Params mhaParams(int64_t heads, bool causal, bool cross, bool bias, double dropout = 0.0) {
    Params p;
    p.set("heads", heads);
    p.set("causal", causal);
    p.set("cross_attention", cross);
    p.set("use_bias", bias);
    p.set("dropout", dropout);
    return normalizeParams(mhaDef().schema(), p, "MultiHeadAttention");
}

std::vector<Shape> mhaInputs(int64_t t, int64_t s, int64_t d, bool cross) {
    std::vector<Shape> in{Shape::sequenceOf({t, d})};
    if (cross) in.push_back(Shape::sequenceOf({s, d}));
    return in;
}

// ---- gradient checks ----

struct GradCase {
    const char* label;
    int64_t heads;
    bool causal, cross, bias;
    double dropout;
};

std::string gradientProblems(const GradCase& c) {
    const int64_t n = 2, t = 4, s = 6, d = 8;
    const Params p = mhaParams(c.heads, c.causal, c.cross, c.bias, c.dropout);
    const std::vector<Shape> in = mhaInputs(t, s, d, c.cross);
    auto layer = mhaDef().create(in, p);
    netloom::engine::ComputeContext ctx(7);
    Rng init(11);
    layer->initialize(init, InitScheme::Default);
    // Non-zero biases, so their gradients and their effect are checked too.
    for (Parameter* prm : layer->parameters())
        if (prm->value.rank() == 1)
            for (int64_t i = 0; i < prm->value.size(); ++i)
                prm->value[i] = init.uniform(-0.3f, 0.3f);
    layer->prepare(n, ctx);
    std::vector<Tensor> inputs(in.size());
    Rng data(13);
    for (size_t i = 0; i < in.size(); ++i) {
        inputs[i].resize(n, in[i]);
        netloom::test::fillAwayFromKinks(inputs[i], data);
    }
    Tensor out;
    netloom::test::allocGuarded(out, n, mhaDef().inferShapes(in, p)[0]);
    netloom::test::LayerUnderTest u{layer.get(), &ctx, {}, {&out}};
    for (Tensor& x : inputs) u.inputs.push_back(&x);
    Rng rng(17);
    netloom::test::GradientCheck opt;
    opt.maxChecks = 40;
    return netloom::test::checkLayerGradients(u, rng, opt);
}

// ---- PyTorch parity ----

QStringList checkCase(const json& doc, const json& c) {
    const int64_t n = doc["batch"], t = doc["tokens"], s = doc["key_tokens"], d = doc["width"];
    const bool cross = c["cross_attention"];
    const Params p = mhaParams(c["heads"], c["causal"], cross, c["use_bias"]);
    const std::vector<Shape> in = mhaInputs(t, s, d, cross);
    auto layer = mhaDef().create(in, p);
    ComputeContext ctx;
    layer->prepare(n, ctx);
    std::vector<Parameter*> params = layer->parameters();
    for (size_t k = 0; k < params.size(); ++k) {
        Tensor v = formulaTensor(params[k]->value.dims(), 0.731, 1.7 * double(k) + 0.3, false);
        for (int64_t i = 0; i < v.size(); ++i) params[k]->value[i] = 0.4f * v[i];
    }
    Tensor x = formulaTensor({n, t, d}, 0.37, 0.5, false);
    Tensor kv = formulaTensor({n, s, d}, 0.41, 0.2, true);
    std::vector<const Tensor*> inputs{&x};
    if (cross) inputs.push_back(&kv);
    Tensor y({n, t, d});
    layer->forward(inputs, std::vector<Tensor*>{&y}, true);
    const Tensor g = formulaTensor({n, t, d}, 0.29, 0.0, true);
    Tensor dx({n, t, d}), dkv({n, s, d});
    std::vector<Tensor*> gradIn{&dx};
    if (cross) gradIn.push_back(&dkv);
    layer->backward(inputs, {&y}, {&g}, gradIn);

    const QString name = QString::fromStdString(c["name"].get<std::string>());
    QStringList problems;
    problems << compareWithTorch(y, c["output"], name + " output", &g_worstRel);
    problems << compareWithTorch(dx, c["input_grads"][0], name + " query gradient", &g_worstRel);
    if (cross)
        problems << compareWithTorch(dkv, c["input_grads"][1], name + " key/value gradient",
                                     &g_worstRel);
    const json& pg = c["param_grads"];
    if (pg.size() != params.size())
        problems << name + QString(": %1 parameters, PyTorch %2").arg(params.size()).arg(pg.size());
    for (Parameter* prm : params) {
        if (!pg.contains(prm->name)) {
            problems << name + ": PyTorch has no parameter " + QString::fromStdString(prm->name);
            continue;
        }
        problems << compareWithTorch(prm->grad, pg[prm->name],
                                     name + " gradient of " + QString::fromStdString(prm->name),
                                     &g_worstRel);
    }
    problems.removeAll(QString());
    return problems;
}

void checkReference(const json& doc) {
    QVERIFY(doc["cases"].size() >= 6);
    QStringList all;
    g_worstRel = 0;
    for (const json& c : doc["cases"]) all << checkCase(doc, c);
    QVERIFY2(all.isEmpty(), qPrintable(all.join("\n")));
    qInfo(
        "%zu cases match PyTorch; largest relative difference %.2g (outputs, input and "
        "parameter gradients)",
        doc["cases"].size(), g_worstRel);
}

// Input (flat T·d) → Reshape to a sequence → attention → Flatten → Dense 3.
Graph attentionGraph(int64_t t, int64_t d, int64_t heads, bool causal) {
    Graph g;
    auto add = [&](const std::string& id, const std::string& type, Params p) {
        g.addNode(Node{id, type, id, std::move(p)});
    };
    Params in;
    in.set("shape", std::to_string(t * d));
    add("in", "Input", in);
    Params r;
    r.set("shape", std::to_string(t) + "," + std::to_string(d));
    r.set("sequence", true);
    add("seq", "Reshape", r);
    Params a;
    a.set("heads", heads);
    a.set("causal", causal);
    add("attn", "MultiHeadAttention", a);
    add("flat", "Flatten", {});
    Params o;
    o.set("units", int64_t{3});
    add("out", "Dense", o);
    g.connect({"in", 0, "seq", 0});
    g.connect({"seq", 0, "attn", 0});
    g.connect({"attn", 0, "flat", 0});
    g.connect({"flat", 0, "out", 0});
    return g;
}

}  // namespace

class TestAttention : public QObject {
    Q_OBJECT
private slots:
    // Tiny layers: one thread (a 2-thread team stalls at every barrier on a busy machine).
    void initTestCase() { omp_set_num_threads(1); }

    void gradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("row");
        for (int i = 0; i < 8; ++i) QTest::newRow(kGradCases[i].label) << i;
    }
    void gradientsMatchFiniteDifferences() {
        QFETCH(int, row);
        const std::string problems = gradientProblems(kGradCases[row]);
        QVERIFY2(problems.empty(), problems.c_str());
    }

    // A wrong backward must fail the checker: scale the output projection's weight gradient.
    void checkerCatchesAWrongGradient() {
        const std::string good = gradientProblems({"self", 2, false, false, true, 0.0});
        QVERIFY2(good.empty(), good.c_str());
        const Params p = mhaParams(2, false, false, true);
        const std::vector<Shape> in = mhaInputs(4, 4, 8, false);
        auto layer = mhaDef().create(in, p);
        ComputeContext ctx(7);
        Rng init(3);
        layer->initialize(init, InitScheme::Default);
        layer->prepare(2, ctx);
        Tensor x(2, in[0]), y(2, in[0]);
        Rng data(5);
        netloom::test::fillAwayFromKinks(x, data);
        // Perturbing the forward after the analytic pass is what a wrong backward looks like:
        // compare the analytic gradient of one weight with a doubled copy.
        netloom::test::LayerUnderTest u{layer.get(), &ctx, {&x}, {&y}};
        Tensor g(y.dims());
        for (int64_t i = 0; i < g.size(); ++i) g[i] = data.uniform(-1, 1);
        Tensor dx(x.dims());
        layer->forward({&x}, std::vector<Tensor*>{&y}, true);
        layer->backward({&x}, {&y}, {&g}, {&dx});
        Tensor doubled = dx;
        for (int64_t i = 0; i < doubled.size(); ++i) doubled[i] *= 2.0f;
        Rng rng(9);
        const std::string wrong =
            netloom::test::compareGradient(u, {&g}, x, doubled, "input 1", rng);
        QVERIFY2(!wrong.empty(), "a doubled input gradient passed the finite-difference check");
    }

    void matchesCheckedInFixture() {
        std::ifstream file(netloom::test::dataFile("attention_parity.json"));
        QVERIFY2(file, "tests/data/attention_parity.json is missing");
        checkReference(json::parse(file));
    }

    void matchesPytorchNow() {
        if (!netloom::test::torchAvailable())
            QSKIP("python3-torch is not installed: the fixture row checks parity");
        json fresh;
        const QString failed = netloom::test::runTorchReference("attention_parity.py", &fresh);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        checkReference(fresh);
    }

    // Every primitive the layer creates (projections, the four backward matmuls, softmax) is an
    // optimized kernel, never oneDNN's slow reference one; checked at a ViT-like size and with
    // the thread count training uses.
    void noPrimitiveIsAReferenceKernel_data() {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<bool>("cross");
        QTest::addColumn<int>("threads");
        QTest::newRow("self") << false << false << 1;
        QTest::newRow("causal") << true << false << 1;
        QTest::newRow("cross") << false << true << 1;
        QTest::newRow("causal, 2 threads") << true << false << 2;
    }
    void noPrimitiveIsAReferenceKernel() {
        QFETCH(bool, causal);
        QFETCH(bool, cross);
        QFETCH(int, threads);
        omp_set_num_threads(threads);
        const Params p = mhaParams(4, causal, cross, true);
        const std::vector<Shape> in = mhaInputs(16, 12, 64, cross);
        auto layer = mhaDef().create(in, p);
        QVERIFY(layer->primitiveImplementations().empty());
        ComputeContext ctx;
        layer->prepare(32, ctx);
        const std::vector<std::string> impls = layer->primitiveImplementations();
        omp_set_num_threads(1);
        // 3 per inner product (forward, backward data, backward weights), 6 matmuls, softmax ×2,
        // the reorder that writes Pᵀ and dSᵀ out plain for the dV and dK products
        QCOMPARE(int(impls.size()), (cross ? 9 : 6) + 6 + 2 + 1);
        QStringList all;
        for (const std::string& s : impls) all << QString::fromStdString(s);
        qInfo("kernels: %s", qPrintable(all.join(", ")));
        for (const std::string& s : impls)
            QVERIFY2(s.find("ref") == std::string::npos,
                     qPrintable("a reference kernel: " + QString::fromStdString(s) + " among " +
                                all.join(", ")));
    }

    void refusesBadShapesWithClearMessages() {
        const LayerDef& def = mhaDef();
        auto message = [&](const std::vector<Shape>& in, const Params& p) -> std::string {
            try {
                def.inferShapes(in, p);
            } catch (const netloom::Error& e) {
                return e.what();
            }
            return {};
        };
        const std::string heads =
            message(mhaInputs(4, 4, 10, false), mhaParams(4, false, false, true));
        QVERIFY2(heads.find("heads (4) must divide the model width 10") != std::string::npos,
                 heads.c_str());
        const std::string flat = message({Shape{32}}, mhaParams(2, false, false, true));
        QVERIFY2(flat.find("expects a sequence of tokens") != std::string::npos, flat.c_str());
        const std::string width = message({Shape::sequenceOf({4, 8}), Shape::sequenceOf({5, 6})},
                                          mhaParams(2, false, true, true));
        QVERIFY2(width.find("key/value input has 6 features") != std::string::npos, width.c_str());
        QCOMPARE(def.minInputs(mhaParams(2, false, true, true)), 2);
        QCOMPARE(def.minInputs(mhaParams(2, false, false, true)), 1);
        QCOMPARE(def.ports(mhaParams(2, false, true, true)).inputs,
                 (std::vector<std::string>{"query", "key/value"}));
        QCOMPARE(def.parameterCount(mhaInputs(4, 4, 8, false), mhaParams(2, false, false, true)),
                 int64_t{4 * 64 + 4 * 8});
    }

    // What a live attention view reads: per head a T×T matrix whose rows sum to 1, zero above
    // the diagonal with the causal mask, and different for different samples.
    void attentionMapsThroughInferenceSession_data() {
        QTest::addColumn<bool>("causal");
        QTest::newRow("bidirectional") << false;
        QTest::newRow("causal") << true;
    }
    void attentionMapsThroughInferenceSession() {
        QFETCH(bool, causal);
        const int64_t t = 6, d = 8, heads = 2;
        const Graph g = attentionGraph(t, d, heads, causal);
        ComputeContext initCtx;
        WeightSet weights;
        {
            Model m(g, initCtx);
            m.initialize(21, InitScheme::Default);
            weights = m.weights();
        }
        InferenceSession session(g, weights, TargetKind::Regression);
        Tensor x({3, t * d});
        Rng rng(4);
        for (int64_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-2, 2);
        const std::vector<AttentionMap> maps = session.attentionMaps(x, 1);
        QCOMPARE(int(maps.size()), int(heads));
        bool anyAbove = false;
        for (const AttentionMap& m : maps) {
            QCOMPARE(m.layer, std::string("attn"));
            QCOMPARE(m.weights.dims(), (std::vector<int64_t>{t, t}));
            for (int64_t i = 0; i < t; ++i) {
                double sum = 0;
                for (int64_t j = 0; j < t; ++j) {
                    const float w = m.weights[i * t + j];
                    QVERIFY(w >= 0.0f);
                    sum += w;
                    if (causal && j > i) QCOMPARE(w, 0.0f);
                    if (j > i && w > 1e-3f) anyAbove = true;
                }
                QVERIFY2(std::fabs(sum - 1.0) < 1e-5, qPrintable(QString("row sum %1").arg(sum)));
            }
        }
        QCOMPARE(anyAbove, !causal);
        QCOMPARE(maps[0].head, 0);
        QCOMPARE(maps[1].head, 1);
        // Sample 0 attends differently from sample 1.
        const std::vector<AttentionMap> other = session.attentionMaps(x, 0);
        double diff = 0;
        for (int64_t i = 0; i < t * t; ++i)
            diff += std::fabs(other[0].weights[i] - maps[0].weights[i]);
        QVERIFY(diff > 1e-3);
        QVERIFY_THROWS_EXCEPTION(netloom::Error, session.attentionMaps(x, 3));
    }

private:
    static constexpr GradCase kGradCases[] = {
        {"self, 2 heads", 2, false, false, true, 0.0},
        {"self, 1 head, no bias", 1, false, false, false, 0.0},
        {"self, 4 heads", 4, false, false, true, 0.0},
        {"causal, 2 heads", 2, true, false, true, 0.0},
        {"cross, 2 heads", 2, false, true, true, 0.0},
        {"cross, causal, no bias", 4, true, true, false, 0.0},
        {"self, dropout 0.3", 2, false, false, true, 0.3},
        {"causal, 8 heads, dropout 0.2", 8, true, false, true, 0.2},
    };
};

QTEST_GUILESS_MAIN(TestAttention)
#include "test_attention.moc"
