// Registry-driven checks of every layer kind: backward's input and parameter gradients against
// central finite differences of L = Σ g·f(x), and the def's shape rule against what the created
// layer writes. Rows come from allLayerDefs(), so a newly registered layer cannot skip them.
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

using namespace netloom::engine;

namespace {

constexpr int64_t kBatch = 3;
constexpr uint64_t kSeed = 20240531;
constexpr double kEps = 1e-3;      // finite-difference step (float forward passes)
constexpr double kAbsTol = 1e-3;   // float rounding of the forward passes stays well below this
constexpr double kRelTol = 1e-2;   // a wrong transpose or a missing factor is far above this
constexpr size_t kMaxChecks = 60;  // elements checked per tensor
constexpr int64_t kGuard = 64;     // elements after a tensor that a layer must not touch
const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Default parameters, with layer widths shrunk so the check stays fast.
Params checkParams(const LayerDef& def) {
    Params given;
    for (const ParamSpec& s : def.schema())
        if (s.type == ParamType::Int && (s.key == "units" || s.key == "filters"))
            given.set(s.key, int64_t{4});
    return normalizeParams(def.schema(), given, def.type());
}

// Sizes t to {batch, shape} with kGuard NaNs behind it (kept in the storage) and NaN inside.
void allocGuarded(Tensor& t, int64_t batch, const Shape& shape) {
    t.resize({batch * shape.elements() + kGuard});
    t.fill(kNaN);
    t.resize(batch, shape);
}

// Empty when the guard behind t is intact and t has no NaN left, else what is wrong.
std::string checkWritten(const Tensor& t, const std::string& what) {
    const std::vector<float>& s = t.storage();
    for (int64_t i = 0; i < t.size(); ++i)
        if (std::isnan(s[static_cast<size_t>(i)]))
            return what + ": element " + std::to_string(i) + " of " + std::to_string(t.size()) +
                   " was not written (NaN left)";
    for (size_t i = static_cast<size_t>(t.size()); i < s.size(); ++i)
        if (!std::isnan(s[i]))
            return what + ": wrote past its end at element " + std::to_string(i) + " (size " +
                   std::to_string(t.size()) + ")";
    return {};
}

// Magnitudes on an evenly spaced grid in [0.1, 1] in random order, with random signs: away from
// 0 (the kink of ReLU-like layers), and no two values within 2·kEps while the tensor has fewer
// than ~450 elements (so a max-pooling window's winner cannot change under a perturbation).
void fillAwayFromKinks(Tensor& t, Rng& rng) {
    const int64_t n = t.size();
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng.generator());
    for (int64_t i = 0; i < n; ++i) {
        const double mag = 0.1 + 0.9 * (static_cast<double>(order[static_cast<size_t>(i)]) + 0.5) /
                                     static_cast<double>(n);
        t[i] = static_cast<float>((rng.next() & 1) ? mag : -mag);
    }
}

// At most kMaxChecks distinct indices of a tensor of n elements, in random order.
std::vector<int64_t> sampleIndices(int64_t n, Rng& rng) {
    std::vector<int64_t> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), int64_t{0});
    std::shuffle(idx.begin(), idx.end(), rng.generator());
    if (idx.size() > kMaxChecks) idx.resize(kMaxChecks);
    return idx;
}

// One layer built from its def's example inputs, ready to run forward and backward.
struct Harness {
    const LayerDef* def = nullptr;
    Params params;
    std::vector<Shape> inShapes;
    Shape outShape;
    std::unique_ptr<Layer> layer;
    ComputeContext ctx{kSeed};
    std::vector<Tensor> inputs;
    Tensor output;

    explicit Harness(const LayerDef& d) : def(&d) {
        params = checkParams(d);
        inShapes = d.exampleInputs(params);
        outShape = d.inferShape(inShapes, params);
        layer = d.create(inShapes, params);
        Rng initRng(kSeed + 1);
        layer->initialize(initRng, InitScheme::Default);
        layer->prepare(kBatch, ctx);
        inputs.resize(inShapes.size());
        Rng dataRng(kSeed + 2);
        for (size_t i = 0; i < inShapes.size(); ++i) {
            inputs[i].resize(kBatch, inShapes[i]);
            fillAwayFromKinks(inputs[i], dataRng);
        }
        allocGuarded(output, kBatch, outShape);
    }

    std::vector<const Tensor*> inputPtrs() const {
        std::vector<const Tensor*> p;
        for (const Tensor& t : inputs) p.push_back(&t);
        return p;
    }

    // Training-mode forward; the same seed every time so dropout draws the same mask.
    void forward() {
        ctx.rng = Rng(kSeed);
        layer->forward(inputPtrs(), output, true);
    }

    double loss(const Tensor& g) {
        forward();
        double l = 0;
        for (int64_t i = 0; i < output.size(); ++i)
            l += static_cast<double>(g[i]) * static_cast<double>(output[i]);
        return l;
    }
};

std::string describe(const std::string& tensor, int64_t index, double analytic, double numeric) {
    std::ostringstream os;
    os << tensor << "[" << index << "]: backward gives " << analytic << ", finite differences give "
       << numeric;
    return os.str();
}

// Compares analytic[i] with dL/dvalue[i] by central differences on sampled elements; returns an
// empty string or the worst mismatch.
std::string compareGradient(Harness& h, const Tensor& g, Tensor& value, const Tensor& analytic,
                            const std::string& name, Rng& rng) {
    std::string worst;
    double worstExcess = 0;
    for (int64_t i : sampleIndices(value.size(), rng)) {
        const float v = value[i];
        const float hi = static_cast<float>(v + kEps), lo = static_cast<float>(v - kEps);
        value[i] = hi;
        const double lossHi = h.loss(g);
        value[i] = lo;
        const double lossLo = h.loss(g);
        value[i] = v;
        const double numeric = (lossHi - lossLo) / (static_cast<double>(hi) - lo);
        const double a = analytic[i];
        const double excess = std::fabs(a - numeric) -
                              (kAbsTol + kRelTol * std::max(std::fabs(a), std::fabs(numeric)));
        if (!(excess <= worstExcess)) {  // also catches NaN
            worstExcess = std::isnan(excess) ? std::numeric_limits<double>::infinity() : excess;
            worst = describe(name, i, a, numeric);
        }
    }
    return worst;
}

}  // namespace

class TestLayerGradients : public QObject {
    Q_OBJECT

    static void addLayerRows() {
        QTest::addColumn<QString>("type");
        // Sources (the Input category: Input, Noise) have no input to differentiate; they pass
        // the batch they are given through (test_gan checks Noise's sampling).
        for (const LayerDef* def : allLayerDefs())
            if (def->category() != "Input")
                QTest::newRow(def->type().c_str()) << QString::fromStdString(def->type());
    }

private slots:
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
        }
        QCOMPARE(findLayerDef("NoSuchLayer"), nullptr);
    }

    // exampleInputs must exist and fit the ports; inferShape must match what the layer writes:
    // every element of the inferred output, nothing past it; parameterCount must match the
    // parameters the layer owns.
    void shapesMatchLayer_data() { addLayerRows(); }
    void shapesMatchLayer() {
        QFETCH(QString, type);
        guarded([&] { checkShapes(type); });
    }
    void gradientsMatchFiniteDifferences_data() { addLayerRows(); }
    void gradientsMatchFiniteDifferences() {
        QFETCH(QString, type);
        guarded([&] { checkGradients(type); });
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

    static void checkShapes(const QString& type) {
        const LayerDef* def = findLayerDef(type.toStdString());
        QVERIFY(def);
        const Params params = checkParams(*def);
        const std::vector<Shape> in = def->exampleInputs(params);
        QVERIFY2(!in.empty(), "exampleInputs() is empty: the gradient check cannot run");
        QVERIFY2(static_cast<int>(in.size()) >= def->minInputs(params) &&
                     static_cast<int>(in.size()) <= def->maxInputs(params),
                 "exampleInputs() does not fit the layer's input ports");
        for (const Shape& s : in) {
            QVERIFY2(s.rank() >= 1 && s.elements() > 0, "example input shape is empty");
            QVERIFY2(s.elements() <= 4096, "example input is too big for a quick check");
        }
        Harness h(*def);
        QVERIFY(h.outShape.elements() > 0);
        h.forward();
        const std::string problem = checkWritten(h.output, "output " + h.outShape.toString());
        QVERIFY2(problem.empty(), problem.c_str());

        int64_t owned = 0;
        for (Parameter* p : h.layer->parameters()) {
            QVERIFY2(p->grad.size() == p->value.size(),
                     (p->name + ": gradient and value differ in size").c_str());
            owned += p->value.size();
        }
        QCOMPARE(def->parameterCount(h.inShapes, h.params), owned);
        QVERIFY(def->flops(h.inShapes, h.outShape, h.params) >= 0);
    }

    static void checkGradients(const QString& type) {
        const LayerDef* def = findLayerDef(type.toStdString());
        QVERIFY(def);
        Harness h(*def);
        Rng rng(kSeed + 3);
        Tensor g(kBatch, h.outShape);
        for (int64_t i = 0; i < g.size(); ++i) g[i] = rng.uniform(-1.0f, 1.0f);

        // Analytic gradients; NaN-filled first so anything not overwritten shows.
        std::vector<Tensor> gradIn(h.inputs.size());
        std::vector<Tensor*> gradInPtrs;
        for (size_t i = 0; i < gradIn.size(); ++i) {
            allocGuarded(gradIn[i], kBatch, h.inShapes[i]);
            gradInPtrs.push_back(&gradIn[i]);
        }
        std::vector<Parameter*> params = h.layer->parameters();
        for (Parameter* p : params) p->grad.fill(kNaN);
        h.forward();
        h.layer->backward(h.inputPtrs(), h.output, g, gradInPtrs);

        std::vector<Tensor> paramGrads;  // copies: the finite differences run forward again
        for (Parameter* p : params) paramGrads.push_back(p->grad);
        for (size_t i = 0; i < gradIn.size(); ++i) {
            const std::string problem =
                checkWritten(gradIn[i], "gradient of input " + std::to_string(i + 1));
            QVERIFY2(problem.empty(), problem.c_str());
        }

        std::vector<std::string> failures;
        for (size_t i = 0; i < h.inputs.size(); ++i) {
            std::string f = compareGradient(h, g, h.inputs[i], gradIn[i],
                                            "input " + std::to_string(i + 1), rng);
            if (!f.empty()) failures.push_back(f);
        }
        for (size_t k = 0; k < params.size(); ++k) {
            std::string f = compareGradient(h, g, params[k]->value, paramGrads[k],
                                            "parameter '" + params[k]->name + "'", rng);
            if (!f.empty()) failures.push_back(f);
        }
        std::string all;
        for (const auto& f : failures) all += (all.empty() ? "" : "; ") + f;
        QVERIFY2(failures.empty(), all.c_str());
    }

    // The check itself must be able to fail: Dense's input gradient passes as computed and is
    // caught once it is 10% off.
    static void checkWrongGradientIsCaught() {
        const LayerDef* def = findLayerDef("Dense");
        QVERIFY(def);
        Harness h(*def);
        Rng rng(kSeed + 4);
        Tensor g(kBatch, h.outShape);
        for (int64_t i = 0; i < g.size(); ++i) g[i] = rng.uniform(-1.0f, 1.0f);
        Tensor gradIn(kBatch, h.inShapes[0]);
        h.forward();
        h.layer->backward(h.inputPtrs(), h.output, g, {&gradIn});
        Rng r1(7), r2(7);
        QVERIFY(compareGradient(h, g, h.inputs[0], gradIn, "x", r1).empty());
        for (int64_t i = 0; i < gradIn.size(); ++i) gradIn[i] *= 1.1f;
        QVERIFY(!compareGradient(h, g, h.inputs[0], gradIn, "x", r2).empty());
    }
};

QTEST_GUILESS_MAIN(TestLayerGradients)
#include "test_layer_gradients.moc"
