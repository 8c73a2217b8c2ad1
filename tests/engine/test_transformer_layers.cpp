// The Transformer's non-attention layers: LayerNorm, PatchEmbedding, ClassToken,
// PositionalEmbedding, SinusoidalPositionalEncoding, and Dense/GELU/SequenceMean on tokens.
// - gradients against finite differences (the shared checker) in configurations beyond the
//   registry's small examples (wider tokens, several channels, non-square images);
// - LayerNorm against PyTorch's nn.LayerNorm with the same weights (forward, input and
//   parameter gradients ≤ 1e-4 relative): the checked-in fixture tests/data/layer_norm_parity.json
//   always, and a fresh run of tests/data/layer_norm_parity.py when /usr/bin/python3 has torch;
// - the sinusoidal table against the formula of Vaswani et al.; the patch embedding against a
//   convolution computed by hand; shapes refused with messages naming the numbers;
// - no oneDNN primitive of these layers is a reference ("ref") implementation.
#include <omp.h>
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "support/gradient_check.h"
#include "support/test_support.h"
#include "support/torch_parity.h"

using namespace netloom::engine;
using namespace netloom::test;
using json = nlohmann::json;

Q_DECLARE_METATYPE(netloom::engine::Shape)
Q_DECLARE_METATYPE(netloom::engine::Params)

namespace {

Params paramsOf(const std::string& type,
                std::initializer_list<std::pair<const std::string, ParamValue>> values = {}) {
    Params p;
    for (const auto& [k, v] : values) p.set(k, v);
    return normalizeParams(findLayerDef(type)->schema(), p, type);
}

// One layer of `type` on inputs of `inShape`, prepared for `batch`.
struct Built {
    std::unique_ptr<Layer> layer;
    ComputeContext ctx{7};
    Shape outShape;
    Built(const std::string& type, const Shape& inShape, const Params& p, int64_t batch) {
        const LayerDef* def = findLayerDef(type);
        if (!def) throw netloom::Error("no layer " + type);
        outShape = def->inferShapes({inShape}, p).at(0);
        layer = def->create({inShape}, p);
        Rng rng(11);
        layer->initialize(rng, InitScheme::Default);
        layer->prepare(batch, ctx);
    }
};

std::string gradientProblem(const std::string& type, const Shape& in, const Params& p) {
    constexpr int64_t batch = 3;
    Built b(type, in, p, batch);
    Rng rng(23);
    // Parameters away from their initial values (LayerNorm's ones and zeros would hide a
    // mix-up of scale and shift).
    for (Parameter* prm : b.layer->parameters()) fillAwayFromKinks(prm->value, rng);
    Tensor x(batch, in), y;
    fillAwayFromKinks(x, rng);
    allocGuarded(y, batch, b.outShape);
    LayerUnderTest t{b.layer.get(), &b.ctx, {&x}, {&y}};
    return checkLayerGradients(t, rng);
}

Tensor formulaTensor(std::vector<int64_t> dims, const std::function<double(double)>& f) {
    Tensor t(std::move(dims));
    for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(f(static_cast<double>(i)));
    return t;
}

// Runs every case of a layer_norm_parity.py document through LayerNorm.
void checkLayerNormReference(const json& doc) {
    QVERIFY(doc["cases"].size() >= 3);
    QStringList problems;
    double worst = 0;
    for (const json& c : doc["cases"]) {
        const std::vector<int64_t> dims = c["dims"].get<std::vector<int64_t>>();
        const int64_t batch = dims[0], d = dims.back();
        const Shape in = dims.size() == 3 ? Shape::sequenceOf({dims[1], d}) : Shape{d};
        Built b("LayerNorm", in, paramsOf("LayerNorm", {{"epsilon", c["epsilon"].get<double>()}}),
                batch);
        auto params = b.layer->parameters();
        QCOMPARE(params.size(), size_t{2});
        QCOMPARE(params[0]->name, std::string("weight"));
        QCOMPARE(params[1]->name, std::string("bias"));
        params[0]->value =
            formulaTensor({d}, [](double i) { return 1 + 0.5 * std::sin(0.731 * i + 0.3); });
        params[1]->value = formulaTensor({d}, [](double i) { return 0.2 * std::cos(0.5 * i); });
        Tensor x = formulaTensor(
            dims, [](double i) { return 2 * std::sin(0.37 * i + 0.5) + 0.3 * std::cos(0.11 * i); });
        Tensor g = formulaTensor(dims, [](double i) { return std::cos(0.29 * i); });
        Tensor y(dims), dx(dims);
        b.layer->forward({&x}, y, true);
        b.layer->backward({&x}, y, g, {&dx});
        const QString name = QString::fromStdString(c["name"].get<std::string>());
        problems << compareWithTorch(y, c["output"], name + " output", &worst)
                 << compareWithTorch(dx, c["input_grad"], name + " input gradient", &worst)
                 << compareWithTorch(params[0]->grad, c["param_grads"]["weight"],
                                     name + " weight gradient", &worst)
                 << compareWithTorch(params[1]->grad, c["param_grads"]["bias"],
                                     name + " bias gradient", &worst);
        // Inference computes its own statistics and must give the same output.
        Tensor yInfer(dims);
        b.layer->forward({&x}, yInfer, false);
        problems << compareWithTorch(yInfer, c["output"], name + " inference output", &worst);
    }
    problems.removeAll(QString());
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join("\n")));
    qInfo("LayerNorm matches nn.LayerNorm: largest relative difference %.2g", worst);
}

}  // namespace

class TestTransformerLayers : public QObject {
    Q_OBJECT
private slots:
    // Small layers: one thread (a 2-thread team stalls at every barrier on a busy machine).
    void initTestCase() { omp_set_num_threads(1); }

    void gradientsMatchFiniteDifferences_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<Shape>("input");
        QTest::addColumn<Params>("params");
        QTest::newRow("LayerNorm tokens 6×16")
            << "LayerNorm" << Shape::sequenceOf({6, 16}) << paramsOf("LayerNorm");
        QTest::newRow("LayerNorm flat 9, epsilon 1e-3")
            << "LayerNorm" << Shape{9} << paramsOf("LayerNorm", {{"epsilon", 1e-3}});
        QTest::newRow("PatchEmbedding 3×8×12, patch 4, dim 6")
            << "PatchEmbedding" << Shape{3, 8, 12}
            << paramsOf("PatchEmbedding", {{"patch", int64_t{4}}, {"dim", int64_t{6}}});
        QTest::newRow("PatchEmbedding 1×6×6, patch 3, dim 4")
            << "PatchEmbedding" << Shape{1, 6, 6}
            << paramsOf("PatchEmbedding", {{"patch", int64_t{3}}, {"dim", int64_t{4}}});
        QTest::newRow("ClassToken 5×7")
            << "ClassToken" << Shape::sequenceOf({5, 7}) << paramsOf("ClassToken");
        QTest::newRow("PositionalEmbedding 5×7")
            << "PositionalEmbedding" << Shape::sequenceOf({5, 7})
            << paramsOf("PositionalEmbedding");
        QTest::newRow("SinusoidalPositionalEncoding 6×5")
            << "SinusoidalPositionalEncoding" << Shape::sequenceOf({6, 5})
            << paramsOf("SinusoidalPositionalEncoding");
        QTest::newRow("Dense on tokens 5×6 → 4")
            << "Dense" << Shape::sequenceOf({5, 6}) << paramsOf("Dense", {{"units", int64_t{4}}});
        QTest::newRow("GELU on tokens 5×6")
            << "GELU" << Shape::sequenceOf({5, 6}) << paramsOf("GELU");
        QTest::newRow("SequenceMean (token mean) 5×6")
            << "SequenceMean" << Shape::sequenceOf({5, 6}) << paramsOf("SequenceMean");
    }
    void gradientsMatchFiniteDifferences() {
        QFETCH(QString, type);
        QFETCH(Shape, input);
        QFETCH(Params, params);
        try {
            const std::string problem = gradientProblem(type.toStdString(), input, params);
            QVERIFY2(problem.empty(), problem.c_str());
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
    }

    // Dense, GELU and the positional layers keep tokens as tokens: {T, d} in, {T, ·} out.
    void tokenShapes() {
        auto out = [](const std::string& type, const Shape& in, const Params& p) {
            return findLayerDef(type)->inferShapes({in}, p).at(0);
        };
        const Shape tokens = Shape::sequenceOf({16, 64});
        QCOMPARE(out("Dense", tokens, paramsOf("Dense", {{"units", int64_t{128}}})),
                 Shape::sequenceOf({16, 128}));
        QCOMPARE(out("GELU", tokens, paramsOf("GELU")), tokens);
        QCOMPARE(out("LayerNorm", tokens, paramsOf("LayerNorm")), tokens);
        QCOMPARE(out("PositionalEmbedding", tokens, paramsOf("PositionalEmbedding")), tokens);
        QCOMPARE(out("ClassToken", tokens, paramsOf("ClassToken")), Shape::sequenceOf({17, 64}));
        QCOMPARE(out("SequenceMean", tokens, paramsOf("SequenceMean")), Shape{64});
        QCOMPARE(out("PatchEmbedding", Shape{1, 28, 28},
                     paramsOf("PatchEmbedding", {{"patch", int64_t{7}}, {"dim", int64_t{64}}})),
                 tokens);
        QCOMPARE(findLayerDef("PositionalEmbedding")
                     ->parameterCount({tokens}, paramsOf("PositionalEmbedding")),
                 int64_t{16 * 64});
    }

    void badShapesAreRefusedNamingTheNumbers() {
        const LayerDef* patch = findLayerDef("PatchEmbedding");
        QString e = errorOf([&] {
            patch->inferShapes({Shape{1, 28, 28}},
                               paramsOf("PatchEmbedding", {{"patch", int64_t{5}}}));
        });
        QVERIFY2(e.contains("patch size 5 does not divide the image height 28") &&
                     e.contains("2, 4, 7, 14, 28"),
                 qPrintable(e));
        e = errorOf([&] {
            patch->inferShapes({Shape{3, 12, 10}},
                               paramsOf("PatchEmbedding", {{"patch", int64_t{4}}}));
        });
        QVERIFY2(e.contains("patch size 4 does not divide the image width 10") &&
                     e.contains("patch sizes that fit are 2"),
                 qPrintable(e));
        e = errorOf([&] { patch->inferShapes({Shape{64}}, paramsOf("PatchEmbedding")); });
        QVERIFY2(!e.isEmpty(), "a flat input must be refused");
        e = errorOf([&] {
            findLayerDef("LayerNorm")->inferShapes({Shape{3, 8, 8}}, paramsOf("LayerNorm"));
        });
        QVERIFY2(e.contains("3×8×8") && e.contains("Batch Norm"), qPrintable(e));
        for (const char* type :
             {"PositionalEmbedding", "SinusoidalPositionalEncoding", "ClassToken"}) {
            e = errorOf([&] { findLayerDef(type)->inferShapes({Shape{12}}, paramsOf(type)); });
            QVERIFY2(e.contains("expects tokens") && e.contains("12"), qPrintable(e));
        }
    }

    void layerNormMatchesCheckedInFixture() {
        std::ifstream file(dataFile("layer_norm_parity.json"));
        QVERIFY2(file, "tests/data/layer_norm_parity.json is missing");
        checkLayerNormReference(json::parse(file));
    }

    void layerNormMatchesPytorchNow() {
        if (!netloom::test::torchAvailable())
            QSKIP("python3-torch is not installed: the fixture row checks parity");
        json fresh;
        const QString failed = netloom::test::runTorchReference("layer_norm_parity.py", &fresh);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        checkLayerNormReference(fresh);
    }

    // PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)), added to the input.
    void sinusoidalMatchesTheFormula() {
        for (int64_t d : {int64_t{8}, int64_t{7}}) {
            const int64_t steps = 50, batch = 2;
            Built b("SinusoidalPositionalEncoding", Shape::sequenceOf({steps, d}),
                    paramsOf("SinusoidalPositionalEncoding"), batch);
            Tensor x = formulaTensor({batch, steps, d}, [](double i) { return 0.01 * i; });
            Tensor y({batch, steps, d});
            b.layer->forward({&x}, y, false);
            double worst = 0;
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t t = 0; t < steps; ++t)
                    for (int64_t j = 0; j < d; ++j) {
                        const int64_t i = j / 2;
                        const double arg =
                            double(t) / std::pow(10000.0, 2.0 * double(i) / double(d));
                        const double pe = j % 2 == 0 ? std::sin(arg) : std::cos(arg);
                        const int64_t k = (n * steps + t) * d + j;
                        worst = std::max(worst, std::fabs(double(y[k]) - (double(x[k]) + pe)));
                    }
            QVERIFY2(worst <= 2e-6, qPrintable(QString("d=%1: off by %2").arg(d).arg(worst)));
            // Position 0 is (0, 1, 0, 1, ...) and position 1 starts with sin(1), cos(1).
            QCOMPARE(y[0] - x[0], 0.0f);
            QCOMPARE(y[1] - x[1], 1.0f);
            QVERIFY(std::fabs(y[d] - x[d] - std::sin(1.0)) < 1e-6);
            QVERIFY(std::fabs(y[d + 1] - x[d + 1] - std::cos(1.0)) < 1e-6);
        }
    }

    // A 2×4×6 image, patch 2, 3 tokens wide: token (r, c) of sample n is
    // bias + Σ_{ch, dy, dx} W[o, ch, dy, dx]·x[n, ch, 2r + dy, 2c + dx], tokens in row-major order.
    void patchEmbeddingEqualsHandComputedConvolution() {
        const int64_t batch = 2, ch = 2, h = 4, w = 6, p = 2, d = 3;
        Built b("PatchEmbedding", Shape{ch, h, w},
                paramsOf("PatchEmbedding", {{"patch", p}, {"dim", d}}), batch);
        QCOMPARE(b.outShape, Shape::sequenceOf({(h / p) * (w / p), d}));
        auto params = b.layer->parameters();
        QCOMPARE(params.size(), size_t{2});
        QCOMPARE(params[0]->value.dims(), (std::vector<int64_t>{d, ch, p, p}));
        Tensor& weight = params[0]->value;
        Tensor& bias = params[1]->value;
        weight = formulaTensor({d, ch, p, p}, [](double i) { return std::sin(0.7 * i + 0.2); });
        bias = formulaTensor({d}, [](double i) { return 0.1 * i - 0.05; });
        Tensor x = formulaTensor({batch, ch, h, w}, [](double i) { return std::cos(0.3 * i); });
        Tensor y({batch, (h / p) * (w / p), d});
        b.layer->forward({&x}, y, false);
        double worst = 0;
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t r = 0; r < h / p; ++r)
                for (int64_t c = 0; c < w / p; ++c)
                    for (int64_t o = 0; o < d; ++o) {
                        double s = bias[o];
                        for (int64_t k = 0; k < ch; ++k)
                            for (int64_t dy = 0; dy < p; ++dy)
                                for (int64_t dx = 0; dx < p; ++dx)
                                    s +=
                                        double(weight[((o * ch + k) * p + dy) * p + dx]) *
                                        double(x[((n * ch + k) * h + r * p + dy) * w + c * p + dx]);
                        const int64_t token = r * (w / p) + c;
                        worst = std::max(
                            worst,
                            std::fabs(double(y[(n * (h / p) * (w / p) + token) * d + o]) - s));
                    }
        QVERIFY2(worst <= 1e-5, qPrintable(QString("off by %1").arg(worst)));
    }

    void classTokenGoesFirst() {
        Built b("ClassToken", Shape::sequenceOf({2, 3}), paramsOf("ClassToken"), 2);
        Parameter* token = b.layer->parameters().at(0);
        QCOMPARE(token->value.dims(), (std::vector<int64_t>{1, 3}));
        for (int j = 0; j < 3; ++j) token->value[j] = float(10 + j);
        Tensor x = formulaTensor({2, 2, 3}, [](double i) { return i; });
        Tensor y({2, 3, 3});
        b.layer->forward({&x}, y, false);
        const std::vector<float> want{10, 11, 12, 0, 1, 2, 3, 4, 5, 10, 11, 12, 6, 7, 8, 9, 10, 11};
        QCOMPARE(y.storage(), want);
    }

    // oneDNN falls back to "ref:any" (slow scalar loops) when no optimized kernel fits; the
    // Transformer's layers must all get optimized ones, in ViT-like sizes.
    void noPrimitiveIsAReferenceImplementation() {
        struct Row {
            const char* type;
            Shape in;
            Params params;
        };
        const Shape tokens = Shape::sequenceOf({17, 64});
        const std::vector<Row> rows{
            {"LayerNorm", tokens, paramsOf("LayerNorm")},
            {"LayerNorm", Shape{64}, paramsOf("LayerNorm")},
            {"PatchEmbedding", Shape{1, 28, 28},
             paramsOf("PatchEmbedding", {{"patch", int64_t{7}}, {"dim", int64_t{64}}})},
            {"Dense", tokens, paramsOf("Dense", {{"units", int64_t{128}}})},
            {"GELU", Shape::sequenceOf({17, 128}), paramsOf("GELU")}};
        for (const Row& r : rows) {
            Built b(r.type, r.in, r.params, 32);
            const std::vector<std::string> impls = b.layer->primitiveImplementations();
            QVERIFY2(impls.size() >= 3, r.type);
            std::string all;
            for (const std::string& s : impls) {
                all += (all.empty() ? "" : ", ") + s;
                QVERIFY2(s.find("ref") == std::string::npos,
                         (std::string(r.type) + " uses " + s).c_str());
            }
            qInfo("%s %s: %s", r.type, r.in.toAsciiString().c_str(), all.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestTransformerLayers)
#include "test_transformer_layers.moc"
