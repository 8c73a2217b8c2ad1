// Registry-driven checks of every layer kind and every example it lists: backward's input and
// parameter gradients against finite differences (the shared checker, support/gradient_check.h),
// and the def's shape rules against what the created layer writes. Rows come from
// allLayerDefs(), so a newly registered layer cannot skip them.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <sstream>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/layers/layer.h"
#include "engine/layers/registry.h"
#include "support/gradient_check.h"
#include "support/test_layers.h"

using namespace netloom::engine;

namespace {

using namespace netloom::test;

constexpr int64_t kBatch = 3;
constexpr uint64_t kSeed = 20240531;

// An example's parameters, with layer widths shrunk so the check stays fast.
Params checkParams(const LayerDef& def, const Params& example) {
    Params given = example;
    for (const ParamSpec& s : def.schema())
        if (s.type == ParamType::Int && (s.key == "units" || s.key == "filters"))
            given.set(s.key, int64_t{4});
    return normalizeParams(def.schema(), given, def.type());
}

// The examples a row refers to: "Dense" is the first example, "Dense/sequence" a named one.
LayerExample findExample(const LayerDef& def, const std::string& label) {
    for (const LayerExample& e : def.examples())
        if (e.label == label) return e;
    throw std::runtime_error(def.type() + " has no example '" + label + "'");
}

// One layer built from one of its def's examples, ready to run forward and backward.
struct Harness {
    const LayerDef* def = nullptr;
    Params params;
    std::vector<Shape> inShapes, outShapes;
    std::unique_ptr<Layer> layer;
    ComputeContext ctx{kSeed};
    std::vector<Tensor> inputs, outputs;

    Harness(const LayerDef& d, const LayerExample& example) : def(&d) {
        params = checkParams(d, example.params);
        inShapes = example.inputs;
        outShapes = d.inferShapes(inShapes, params);
        layer = d.create(inShapes, params);
        Rng initRng(kSeed + 1);
        layer->initialize(initRng, InitScheme::Default);
        layer->prepare(kBatch, ctx);
        inputs.resize(inShapes.size());
        Rng dataRng(kSeed + 2);
        for (size_t i = 0; i < inShapes.size(); ++i) {
            inputs[i].resize(kBatch, inShapes[i]);
            if (example.tokenIds > 0) {  // ids: finite differences of ±eps keep the same id
                for (int64_t j = 0; j < inputs[i].size(); ++j)
                    inputs[i][j] = static_cast<float>(dataRng.next() % uint64_t(example.tokenIds));
            } else {
                fillAwayFromKinks(inputs[i], dataRng);
            }
        }
        outputs.resize(outShapes.size());
        for (size_t k = 0; k < outShapes.size(); ++k)
            allocGuarded(outputs[k], kBatch, outShapes[k]);
    }

    LayerUnderTest underTest() {
        LayerUnderTest t{layer.get(), &ctx, {}, {}};
        for (Tensor& x : inputs) t.inputs.push_back(&x);
        for (Tensor& y : outputs) t.outputs.push_back(&y);
        return t;
    }
};

}  // namespace

class TestLayerGradients : public QObject {
    Q_OBJECT

    // One row per example of every registered layer (ggml test-backend-ops style), plus the
    // test-only two-output layer registered for this suite.
    static void addLayerRows() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("example");
        // Sources (the Input category: Input, Noise) have no input to differentiate; they pass
        // the batch they are given through (test_gan checks Noise's sampling).
        for (const LayerDef* def : allLayerDefs()) {
            if (def->category() == "Input") continue;
            for (const LayerExample& e : def->examples()) {
                const std::string row = def->type() + (e.label == "default" ? "" : "/" + e.label);
                QTest::newRow(row.c_str())
                    << QString::fromStdString(def->type()) << QString::fromStdString(e.label);
            }
        }
    }

    std::unique_ptr<ScopedLayerRegistration> m_twoHeads;

private slots:
    void initTestCase() { m_twoHeads = std::make_unique<ScopedLayerRegistration>(twoHeadsDef()); }
    void cleanupTestCase() { m_twoHeads.reset(); }

    void registryIsConsistent() {
        QVERIFY(allLayerDefs().size() >= 2);
        std::vector<std::string> seen;
        for (const LayerDef* def : allLayerDefs()) {
            const std::string t = def->type();
            QVERIFY2(std::find(seen.begin(), seen.end(), t) == seen.end(),
                     ("duplicate layer type " + t).c_str());
            seen.push_back(t);
            QVERIFY2(findLayerDef(t) == def, t.c_str());
            const auto& cats = layerCategories();
            QVERIFY2(
                std::find(cats.begin(), cats.end(), def->category()) != cats.end(),
                (t + ": category '" + def->category() + "' is not a palette category").c_str());
            QVERIFY2(!def->description().empty(), (t + " has no description").c_str());
            QVERIFY2(!def->displayName().empty(), (t + " has no display name").c_str());
            // Every default must pass the schema's own validation.
            Params p;
            try {
                p = normalizeParams(def->schema(), Params{}, t);
            } catch (const netloom::Error& e) {
                QFAIL((t + ": defaults are invalid: " + e.what()).c_str());
            }
            QVERIFY2(def->minInputs(p) <= def->maxInputs(p), t.c_str());
            QVERIFY2(def->outputCount(p) >= 1, t.c_str());
            const PortInfo ports = def->ports(p);
            QCOMPARE(static_cast<int>(ports.outputs.size()), def->outputCount(p));
            QVERIFY2(!def->examples().empty(), (t + " has no examples").c_str());
            QCOMPARE(def->examples().front().label, std::string("default"));
            // A format nobody exports to answers "not supported" (ONNX: test_onnx_runtime).
            QCOMPARE(def->exportHook("no-such-format"), nullptr);
        }
        QCOMPARE(findLayerDef("NoSuchLayer"), nullptr);
    }

    // A scoped registration adds a kind for its lifetime only and refuses a duplicate type.
    void scopedRegistration() {
        QCOMPARE(findLayerDef("TestBrokenScale"), nullptr);
        {
            ScopedLayerRegistration r(brokenScaleDef());
            QCOMPARE(findLayerDef("TestBrokenScale"), &brokenScaleDef());
            QVERIFY_THROWS_EXCEPTION(netloom::Error, ScopedLayerRegistration{brokenScaleDef()});
        }
        QCOMPARE(findLayerDef("TestBrokenScale"), nullptr);
    }

    // examples must fit the ports; inferShapes must match what the layer writes: every element
    // of each inferred output, nothing past it; parameterCount must match the parameters the
    // layer owns.
    void shapesMatchLayer_data() { addLayerRows(); }
    void shapesMatchLayer() {
        QFETCH(QString, type);
        QFETCH(QString, example);
        guarded([&] { checkShapes(type, example); });
    }
    void gradientsMatchFiniteDifferences_data() { addLayerRows(); }
    void gradientsMatchFiniteDifferences() {
        QFETCH(QString, type);
        QFETCH(QString, example);
        guarded([&] { checkGradients(type, example); });
    }
    // A multi-output layer whose second output nobody consumes gets a null gradient for it and
    // must treat it as zero.
    void absentOutputGradientCountsAsZero() {
        guarded([] {
            Harness h(twoHeadsDef(), twoHeadsDef().examples().front());
            Rng rng(kSeed + 5);
            const std::string problem =
                checkLayerGradients(h.underTest(), rng, GradientCheck{}, {true, false});
            QVERIFY2(problem.empty(), problem.c_str());
        });
    }
    void checkCatchesWrongGradient() {
        guarded([] { checkWrongGradientIsCaught(); });
    }

private:
    // Engine errors become test failures naming the layer instead of aborting the whole run.
    template <typename F>
    static void guarded(F body) {
        try {
            body();
        } catch (const std::exception& e) {
            QFAIL((std::string("threw: ") + e.what()).c_str());
        }
    }

    static void checkShapes(const QString& type, const QString& label) {
        const LayerDef* def = findLayerDef(type.toStdString());
        QVERIFY(def);
        const LayerExample example = findExample(*def, label.toStdString());
        const Params params = checkParams(*def, example.params);
        const std::vector<Shape>& in = example.inputs;
        QVERIFY2(!in.empty(), "the example has no inputs: the gradient check cannot run");
        QVERIFY2(static_cast<int>(in.size()) >= def->minInputs(params) &&
                     static_cast<int>(in.size()) <= def->maxInputs(params),
                 "the example's inputs do not fit the layer's input ports");
        for (const Shape& s : in) {
            QVERIFY2(s.rank() >= 1 && s.elements() > 0, "example input shape is empty");
            QVERIFY2(s.elements() <= 4096, "example input is too big for a quick check");
        }
        Harness h(*def, example);
        QCOMPARE(static_cast<int>(h.outShapes.size()), def->outputCount(h.params));
        LayerUnderTest t = h.underTest();
        t.ctx->rng = Rng(kSeed);
        h.layer->forward(std::vector<const Tensor*>(t.inputs.begin(), t.inputs.end()), t.outputs,
                         true);
        for (size_t k = 0; k < h.outputs.size(); ++k) {
            QVERIFY(h.outShapes[k].elements() > 0);
            const std::string problem = checkWritten(
                h.outputs[k], "output " + std::to_string(k + 1) + " " + h.outShapes[k].toString());
            QVERIFY2(problem.empty(), problem.c_str());
        }

        int64_t owned = 0;
        for (Parameter* p : h.layer->parameters()) {
            QVERIFY2(p->grad.size() == p->value.size(),
                     (p->name + ": gradient and value differ in size").c_str());
            owned += p->value.size();
        }
        QCOMPARE(def->parameterCount(h.inShapes, h.params), owned);
        QVERIFY(def->flops(h.inShapes, h.outShapes, h.params) >= 0);
    }

    static void checkGradients(const QString& type, const QString& label) {
        const LayerDef* def = findLayerDef(type.toStdString());
        QVERIFY(def);
        Harness h(*def, findExample(*def, label.toStdString()));
        Rng rng(kSeed + 3);
        const std::string problem = checkLayerGradients(h.underTest(), rng);
        QVERIFY2(problem.empty(), problem.c_str());
    }

    // The check itself must be able to fail: a layer whose backward is 10% off is caught, and
    // the same layer's correct twin (Dense) passes with the same checker.
    static void checkWrongGradientIsCaught() {
        ScopedLayerRegistration broken(brokenScaleDef());
        Harness bad(brokenScaleDef(), brokenScaleDef().examples().front());
        Rng r1(7);
        const std::string problem = checkLayerGradients(bad.underTest(), r1);
        QVERIFY2(!problem.empty(), "the checker accepted a gradient that is 10% off");
        QVERIFY2(problem.find("input 1") != std::string::npos, problem.c_str());

        const LayerDef* dense = findLayerDef("Dense");
        QVERIFY(dense);
        Harness good(*dense, dense->examples().front());
        Rng r2(7);
        QVERIFY(checkLayerGradients(good.underTest(), r2).empty());
    }
};

QTEST_GUILESS_MAIN(TestLayerGradients)
#include "test_layer_gradients.moc"
