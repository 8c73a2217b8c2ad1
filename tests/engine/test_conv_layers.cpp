// Conv2D, Conv2DTranspose, Upsample, MaxPool2D, AvgPool2D, GlobalAvgPool, BatchNorm and Dropout:
// forward results against straightforward reference loops and small hand-computed cases, exact
// backward passes by finite differences, shape inference and its error messages.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "support/gradient_check.h"

using namespace netloom::engine;

namespace {

// "filters=8;padding=valid" → Params typed by the layer's schema, then normalized.
Params makeParams(const LayerDef& def, const QString& text) {
    Params given;
    const ParamSchema schema = def.schema();
    for (const QString& item : text.split(';', Qt::SkipEmptyParts)) {
        const QString key = item.section('=', 0, 0).trimmed();
        const QString value = item.section('=', 1).trimmed();
        auto spec = std::find_if(schema.begin(), schema.end(),
                                 [&](const ParamSpec& s) { return s.key == key.toStdString(); });
        if (spec == schema.end()) throw std::runtime_error("no parameter " + key.toStdString());
        switch (spec->type) {
            case ParamType::Int:
                given.set(spec->key, int64_t{value.toLongLong()});
                break;
            case ParamType::Float:
                given.set(spec->key, value.toDouble());
                break;
            case ParamType::Bool:
                given.set(spec->key, value == "true");
                break;
            default:
                given.set(spec->key, value.toStdString());
                break;
        }
    }
    return normalizeParams(schema, given, "test");
}

const LayerDef& def(const char* type) {
    const LayerDef* d = findLayerDef(type);
    if (!d) throw std::runtime_error(std::string("layer not registered: ") + type);
    return *d;
}

void fillUniform(Tensor& t, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
    for (int64_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(lo, hi);
}

// A layer with its input and output buffers for one batch.
struct Rig {
    const LayerDef* def;
    Params params;
    Shape inShape, outShape;
    std::unique_ptr<Layer> layer;
    ComputeContext ctx;
    Tensor x, y;

    Rig(const char* type, const QString& paramText, const Shape& in, int64_t batch,
        uint64_t seed = 1)
        : def(&::def(type)), params(makeParams(*def, paramText)), inShape(in), ctx(seed) {
        outShape = def->inferShapes({inShape}, params).at(0);
        layer = def->create({inShape}, params);
        setBatch(batch);
    }
    void setBatch(int64_t batch) {
        x.resize(batch, inShape);
        y.resize(batch, outShape);
        layer->prepare(batch, ctx);
    }
    const Tensor& run(bool training) {
        layer->forward({&x}, y, training);
        return y;
    }
    Parameter* param(const std::string& name) {
        for (Parameter* p : layer->parameters())
            if (p->name == name) return p;
        return nullptr;
    }
    Tensor* state(const std::string& name) {
        for (auto& [n, t] : layer->states())
            if (n == name) return t;
        return nullptr;
    }
};

// TensorFlow "same" padding before the data on one axis (the extra goes after).
int64_t padBefore(int64_t in, int64_t out, int64_t k, int64_t s, int64_t d) {
    const int64_t total = std::max<int64_t>((out - 1) * s + (k - 1) * d + 1 - in, 0);
    return total / 2;
}

// Reference convolution on plain tensors.
Tensor naiveConv(const Tensor& x, const Tensor& w, const Tensor* b, int64_t stride,
                 int64_t dilation, bool same, int64_t oh, int64_t ow) {
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
    const int64_t oc = w.dim(0), k = w.dim(2);
    const int64_t py = same ? padBefore(h, oh, k, stride, dilation) : 0;
    const int64_t px = same ? padBefore(wd, ow, k, stride, dilation) : 0;
    Tensor y({n, oc, oh, ow});
    for (int64_t in = 0; in < n; ++in)
        for (int64_t o = 0; o < oc; ++o)
            for (int64_t yy = 0; yy < oh; ++yy)
                for (int64_t xx = 0; xx < ow; ++xx) {
                    double sum = b ? (*b)[o] : 0.0;
                    for (int64_t ic = 0; ic < c; ++ic)
                        for (int64_t ky = 0; ky < k; ++ky)
                            for (int64_t kx = 0; kx < k; ++kx) {
                                const int64_t iy = yy * stride - py + ky * dilation;
                                const int64_t ix = xx * stride - px + kx * dilation;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                sum += double(x[((in * c + ic) * h + iy) * wd + ix]) *
                                       w[((o * c + ic) * k + ky) * k + kx];
                            }
                    y[((in * oc + o) * oh + yy) * ow + xx] = float(sum);
                }
    return y;
}

// Reference max/avg pooling (average over the in-bounds elements only).
Tensor naivePool(const Tensor& x, int64_t k, int64_t s, bool same, bool isMax, int64_t oh,
                 int64_t ow) {
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
    const int64_t py = same ? padBefore(h, oh, k, s, 1) : 0;
    const int64_t px = same ? padBefore(w, ow, k, s, 1) : 0;
    Tensor y({n, c, oh, ow});
    for (int64_t nc = 0; nc < n * c; ++nc)
        for (int64_t yy = 0; yy < oh; ++yy)
            for (int64_t xx = 0; xx < ow; ++xx) {
                double acc = isMax ? -INFINITY : 0.0;
                int count = 0;
                for (int64_t ky = 0; ky < k; ++ky)
                    for (int64_t kx = 0; kx < k; ++kx) {
                        const int64_t iy = yy * s - py + ky, ix = xx * s - px + kx;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                        const float v = x[(nc * h + iy) * w + ix];
                        acc = isMax ? std::max<double>(acc, v) : acc + v;
                        ++count;
                    }
                y[(nc * oh + yy) * ow + xx] = float(isMax ? acc : acc / count);
            }
    return y;
}

// Reference transposed convolution (PyTorch's ConvTranspose2d): every input value stamps its
// weights w {ic, oc, k, k} onto the output at (i·stride − padding + tap), clipped to the output.
Tensor naiveDeconv(const Tensor& x, const Tensor& w, const Tensor* b, int64_t stride,
                   int64_t padding, int64_t oh, int64_t ow) {
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
    const int64_t oc = w.dim(1), k = w.dim(2);
    std::vector<double> acc(static_cast<size_t>(n * oc * oh * ow), 0.0);
    for (int64_t in = 0; in < n; ++in)
        for (int64_t ic = 0; ic < c; ++ic)
            for (int64_t iy = 0; iy < h; ++iy)
                for (int64_t ix = 0; ix < wd; ++ix) {
                    const double v = x[((in * c + ic) * h + iy) * wd + ix];
                    for (int64_t o = 0; o < oc; ++o)
                        for (int64_t ky = 0; ky < k; ++ky)
                            for (int64_t kx = 0; kx < k; ++kx) {
                                const int64_t yy = iy * stride - padding + ky;
                                const int64_t xx = ix * stride - padding + kx;
                                if (yy < 0 || yy >= oh || xx < 0 || xx >= ow) continue;
                                acc[static_cast<size_t>(((in * oc + o) * oh + yy) * ow + xx)] +=
                                    v * w[((ic * oc + o) * k + ky) * k + kx];
                            }
                }
    Tensor y({n, oc, oh, ow});
    for (int64_t i = 0; i < y.size(); ++i)
        y[i] = float(acc[static_cast<size_t>(i)] + (b ? (*b)[(i / (oh * ow)) % oc] : 0.0));
    return y;
}

// Reference upsampling by an integer factor f, as PyTorch's Upsample: nearest takes source
// pixel ⌊o/f⌋; bilinear (align_corners=False) samples at (o + 0.5)/f − 0.5, clamped at 0, and
// blends the two neighbours (the last pixel repeats at the far edge).
Tensor naiveUpsample(const Tensor& x, int64_t f, bool bilinear) {
    const int64_t nc = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
    const int64_t oh = h * f, ow = w * f;
    struct Tap {
        int64_t lo, hi;
        double wHi;
    };
    auto tap = [&](int64_t o, int64_t len) {
        if (!bilinear) return Tap{o / f, o / f, 0.0};
        const double src = std::max(0.0, (double(o) + 0.5) / double(f) - 0.5);
        const int64_t lo = int64_t(std::floor(src));
        return Tap{lo, std::min(lo + 1, len - 1), src - double(lo)};
    };
    Tensor y({x.dim(0), x.dim(1), oh, ow});
    for (int64_t p = 0; p < nc; ++p)
        for (int64_t yy = 0; yy < oh; ++yy)
            for (int64_t xx = 0; xx < ow; ++xx) {
                const Tap ty = tap(yy, h), tx = tap(xx, w);
                auto at = [&](int64_t r, int64_t c) { return double(x[(p * h + r) * w + c]); };
                const double top = at(ty.lo, tx.lo) * (1 - tx.wHi) + at(ty.lo, tx.hi) * tx.wHi;
                const double bottom = at(ty.hi, tx.lo) * (1 - tx.wHi) + at(ty.hi, tx.hi) * tx.wHi;
                y[(p * oh + yy) * ow + xx] = float(top * (1 - ty.wHi) + bottom * ty.wHi);
            }
    return y;
}

double maxAbsDiff(const Tensor& a, const Tensor& b) {
    if (a.size() != b.size()) return INFINITY;
    double m = 0;
    for (int64_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
    return m;
}

// Runs forward (training) + backward with random output gradients through the shared checker
// (support/gradient_check.h) and fails on any mismatch in dx or a parameter gradient. eps is the
// finite-difference step; a mismatch is |analytic − numeric| > tol·max(1, |numeric|) (up to 48
// elements per tensor).
void checkAllGradients(Rig& rig, Rng& rng, float eps, double tol) {
    netloom::test::GradientCheck opt;
    opt.eps = eps;
    opt.floor = tol;
    opt.absTol = 0;
    opt.relTol = tol;
    opt.maxChecks = 48;
    opt.forwardSeed = 1;
    const netloom::test::LayerUnderTest t{rig.layer.get(), &rig.ctx, {&rig.x}, {&rig.y}};
    const std::string problem = netloom::test::checkLayerGradients(t, rng, opt);
    QVERIFY2(problem.empty(), problem.c_str());
}

bool contains(const std::string& text, const QString& part) {
    return QString::fromStdString(text).contains(part);
}

}  // namespace

class TestConvLayers : public QObject {
    Q_OBJECT
private slots:
    void registered_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("category");
        QTest::newRow("conv") << "Conv2D"
                              << "Convolution";
        QTest::newRow("deconv") << "Conv2DTranspose"
                                << "Convolution";
        QTest::newRow("upsample") << "Upsample"
                                  << "Convolution";
        QTest::newRow("max") << "MaxPool2D"
                             << "Pooling";
        QTest::newRow("avg") << "AvgPool2D"
                             << "Pooling";
        QTest::newRow("global") << "GlobalAvgPool"
                                << "Pooling";
        QTest::newRow("bn") << "BatchNorm"
                            << "Normalization";
        QTest::newRow("dropout") << "Dropout"
                                 << "Core";
    }
    void registered() {
        QFETCH(QString, type);
        QFETCH(QString, category);
        const LayerDef* d = findLayerDef(type.toStdString());
        QVERIFY(d);
        QCOMPARE(QString::fromStdString(d->category()), category);
        QVERIFY(!d->description().empty());
        QVERIFY(!d->displayName().empty());
        // The example inputs must be valid for the default parameters.
        const Params p = normalizeParams(d->schema(), {}, "test");
        const std::vector<Shape> ex = d->exampleInputs(p);
        QCOMPARE(int(ex.size()), 1);
        QCOMPARE(int(d->inferShapes(ex, p).size()), 1);
    }

    void shapes_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");  // output shape, or "error: <part of message>"
        QTest::newRow("conv default") << "Conv2D"
                                      << ""
                                      << "1x28x28"
                                      << "32x28x28";
        QTest::newRow("conv same stride 2 odd") << "Conv2D"
                                                << "filters=8;stride=2"
                                                << "3x7x7"
                                                << "8x4x4";
        QTest::newRow("conv valid") << "Conv2D"
                                    << "filters=4;padding=valid"
                                    << "3x7x9"
                                    << "4x5x7";
        QTest::newRow("conv valid stride 2") << "Conv2D"
                                             << "filters=4;padding=valid;stride=2"
                                             << "3x7x8"
                                             << "4x3x3";
        QTest::newRow("conv valid dilated") << "Conv2D"
                                            << "filters=2;padding=valid;dilation=2"
                                            << "1x5x6"
                                            << "2x1x2";
        QTest::newRow("conv same dilated stride 3") << "Conv2D"
                                                    << "filters=2;dilation=3;stride=3"
                                                    << "1x10x10"
                                                    << "2x4x4";
        QTest::newRow("conv flat") << "Conv2D"
                                   << ""
                                   << "784"
                                   << "error:expects an image input C×H×W, got 784: insert "
                                      "Reshape";
        QTest::newRow("conv rank 2") << "Conv2D"
                                     << ""
                                     << "28x28"
                                     << "error:got 28×28";
        QTest::newRow("conv kernel too large")
            << "Conv2D"
            << "kernel=5;padding=valid"
            << "1x3x8"
            << "error:kernel size 5 is larger than the input height 3";
        QTest::newRow("conv dilated too large") << "Conv2D"
                                                << "kernel=3;dilation=3;padding=valid"
                                                << "1x8x6"
                                                << "error:spans 7, larger than the input width 6";
        // Conv2DTranspose: out = (in − 1)·stride − 2·padding + kernel + output_padding.
        QTest::newRow("deconv default doubles") << "Conv2DTranspose"
                                                << ""
                                                << "16x7x7"
                                                << "32x14x14";
        QTest::newRow("deconv to one channel") << "Conv2DTranspose"
                                               << "filters=1"
                                               << "16x14x14"
                                               << "1x28x28";
        QTest::newRow("deconv dcgan 4x4") << "Conv2DTranspose"
                                          << "filters=8;kernel=4;padding=1;output_padding=0"
                                          << "3x4x5"
                                          << "8x8x10";
        QTest::newRow("deconv stride 1 grows by kernel-1")
            << "Conv2DTranspose"
            << "filters=2;stride=1;padding=0;output_padding=0"
            << "1x5x6"
            << "2x7x8";
        QTest::newRow("deconv stride 3 output padding 2")
            << "Conv2DTranspose"
            << "filters=2;stride=3;padding=0;output_padding=2"
            << "1x2x3"
            << "2x8x11";
        QTest::newRow("deconv output padding not below stride")
            << "Conv2DTranspose"
            << "output_padding=2"
            << "4x7x7"
            << "error:output padding 2 must be smaller than the stride 2";
        QTest::newRow("deconv padding not below kernel")
            << "Conv2DTranspose"
            << "padding=3"
            << "4x7x7"
            << "error:padding 3 must be smaller than the kernel size 3";
        QTest::newRow("deconv cropped to nothing")
            << "Conv2DTranspose"
            << "kernel=2;stride=1;padding=1;output_padding=0"
            << "1x1x4"
            << "error:padding 1 crops the whole output height (input height 1";
        QTest::newRow("deconv flat") << "Conv2DTranspose"
                                     << ""
                                     << "1568"
                                     << "error:got 1568: insert Reshape";
        QTest::newRow("upsample default") << "Upsample"
                                          << ""
                                          << "3x5x7"
                                          << "3x10x14";
        QTest::newRow("upsample bilinear 3") << "Upsample"
                                             << "scale_factor=3;mode=bilinear"
                                             << "2x4x1"
                                             << "2x12x3";
        QTest::newRow("upsample 1 is identity") << "Upsample"
                                                << "scale_factor=1"
                                                << "2x4x1"
                                                << "2x4x1";
        QTest::newRow("upsample flat") << "Upsample"
                                       << ""
                                       << "49"
                                       << "error:insert Reshape";
        QTest::newRow("maxpool default") << "MaxPool2D"
                                         << ""
                                         << "32x28x28"
                                         << "32x14x14";
        QTest::newRow("maxpool valid odd") << "MaxPool2D"
                                           << ""
                                           << "4x7x7"
                                           << "4x3x3";
        QTest::newRow("maxpool same odd") << "MaxPool2D"
                                          << "padding=same"
                                          << "4x7x7"
                                          << "4x4x4";
        QTest::newRow("maxpool overlap") << "MaxPool2D"
                                         << "pool_size=3;stride=2"
                                         << "2x7x9"
                                         << "2x3x4";
        QTest::newRow("maxpool same stride 1") << "MaxPool2D"
                                               << "pool_size=3;stride=1;padding=same"
                                               << "2x5x6"
                                               << "2x5x6";
        QTest::newRow("maxpool too large") << "MaxPool2D"
                                           << "pool_size=5"
                                           << "1x4x8"
                                           << "error:larger than the input height 4";
        QTest::newRow("maxpool flat") << "MaxPool2D"
                                      << ""
                                      << "100"
                                      << "error:insert Reshape";
        QTest::newRow("avgpool") << "AvgPool2D"
                                 << "pool_size=3"
                                 << "3x9x10"
                                 << "3x3x3";
        QTest::newRow("avgpool flat") << "AvgPool2D"
                                      << ""
                                      << "10"
                                      << "error:C×H×W";
        QTest::newRow("global") << "GlobalAvgPool"
                                << ""
                                << "64x7x7"
                                << "64";
        QTest::newRow("global flat") << "GlobalAvgPool"
                                     << ""
                                     << "64"
                                     << "error:insert Reshape";
        QTest::newRow("bn image") << "BatchNorm"
                                  << ""
                                  << "16x8x8"
                                  << "16x8x8";
        QTest::newRow("bn flat") << "BatchNorm"
                                 << ""
                                 << "10"
                                 << "10";
        QTest::newRow("bn rank 2") << "BatchNorm"
                                   << ""
                                   << "4x5"
                                   << "error:got 4×5";
        QTest::newRow("dropout") << "Dropout"
                                 << "rate=0.2"
                                 << "5x6"
                                 << "5x6";
    }
    void shapes() {
        QFETCH(QString, type);
        QFETCH(QString, params);
        QFETCH(QString, input);
        QFETCH(QString, expected);
        const LayerDef& d = def(qPrintable(type));
        const Params p = makeParams(d, params);
        const Shape in = parseShape(input.toStdString());
        if (expected.startsWith("error:")) {
            try {
                d.inferShapes({in}, p);
                QFAIL("no error");
            } catch (const netloom::Error& e) {
                QVERIFY2(contains(e.what(), expected.mid(6)), e.what());
            }
            QVERIFY_THROWS_EXCEPTION(netloom::Error, d.create({in}, p));
        } else {
            QCOMPARE(QString::fromStdString(d.inferShapes({in}, p).at(0).toAsciiString()),
                     expected);
        }
    }

    void counts() {
        const LayerDef& conv = def("Conv2D");
        Params p = makeParams(conv, "filters=32;kernel=3");
        QCOMPARE(conv.parameterCount({Shape{3, 8, 8}}, p), int64_t{32 * 3 * 9 + 32});
        QCOMPARE(conv.flops({Shape{3, 8, 8}}, {Shape{32, 8, 8}}, p), int64_t{2 * 32 * 64 * 27});
        p = makeParams(conv, "filters=32;kernel=3;use_bias=false");
        QCOMPARE(conv.parameterCount({Shape{3, 8, 8}}, p), int64_t{32 * 3 * 9});
        auto layer = conv.create({Shape{3, 8, 8}}, p);
        QCOMPARE(int(layer->parameters().size()), 1);
        const LayerDef& deconv = def("Conv2DTranspose");
        p = makeParams(deconv, "filters=8;kernel=4;padding=1;output_padding=0");
        QCOMPARE(deconv.parameterCount({Shape{3, 5, 5}}, p), int64_t{3 * 8 * 16 + 8});
        // Each of the 3·5·5 input values is multiplied into 8·4·4 outputs.
        QCOMPARE(deconv.flops({Shape{3, 5, 5}}, {Shape{8, 10, 10}}, p), int64_t{2 * 75 * 8 * 16});
        auto deconvLayer = deconv.create({Shape{3, 5, 5}}, p);
        QCOMPARE(deconvLayer->parameters()[0]->value.dims(), (std::vector<int64_t>{3, 8, 4, 4}));
        QCOMPARE(def("Upsample").parameterCount({Shape{3, 8, 8}}, makeParams(def("Upsample"), "")),
                 int64_t{0});
        const LayerDef& bn = def("BatchNorm");
        QCOMPARE(bn.parameterCount({Shape{16, 4, 4}}, makeParams(bn, "")), int64_t{32});
        QCOMPARE(bn.parameterCount({Shape{10}}, makeParams(bn, "")), int64_t{20});
        QCOMPARE(
            def("MaxPool2D").parameterCount({Shape{3, 8, 8}}, makeParams(def("MaxPool2D"), "")),
            int64_t{0});
    }

    // TensorFlow's "same": with an even kernel the extra padding row/column is at the bottom and
    // right, so the bottom-right output sees only the last pixel.
    void convSamePadsBottomRight() {
        Rig rig("Conv2D", "filters=1;kernel=2;use_bias=false", Shape{1, 4, 4}, 1);
        rig.x.fill(1.0f);
        rig.param("weight")->value.fill(1.0f);
        const Tensor& y = rig.run(false);
        QCOMPARE(rig.y.dims(), (std::vector<int64_t>{1, 1, 4, 4}));
        QCOMPARE(y[0], 4.0f);
        QCOMPARE(y[3], 2.0f);   // last column: x[0..1][3] only
        QCOMPARE(y[15], 1.0f);  // bottom-right: x[3][3] only
    }

    void convMatchesReference_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("3x3 same") << "filters=4"
                                  << "3x6x6";
        QTest::newRow("stride 2 same dilation 2") << "filters=5;stride=2;dilation=2"
                                                  << "3x9x8";
        QTest::newRow("valid stride 2") << "filters=4;stride=2;padding=valid"
                                        << "2x7x8";
        QTest::newRow("even kernel same") << "filters=3;kernel=4;stride=3"
                                          << "2x7x5";
        QTest::newRow("5x5 valid no bias") << "filters=6;kernel=5;padding=valid;use_bias=false"
                                           << "3x8x7";
        QTest::newRow("1x1") << "filters=7;kernel=1"
                             << "5x3x4";
        QTest::newRow("many channels") << "filters=32"
                                       << "16x6x6";
        QTest::newRow("kernel far wider than input") << "filters=2;kernel=15;dilation=8;stride=2"
                                                     << "2x3x4";
    }
    void convMatchesReference() {
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rng rng(7);
        Rig rig("Conv2D", params, parseShape(input.toStdString()), 2);
        rig.layer->initialize(rng, InitScheme::Default);
        fillUniform(rig.x, rng);
        Parameter* w = rig.param("weight");
        Parameter* b = rig.param("bias");
        const int64_t stride = rig.params.getInt("stride");
        const int64_t dil = rig.params.getInt("dilation");
        const bool same = rig.params.getString("padding") == "same";
        for (bool training : {true, false}) {
            const Tensor& y = rig.run(training);
            Tensor ref = naiveConv(rig.x, w->value, b ? &b->value : nullptr, stride, dil, same,
                                   rig.outShape[1], rig.outShape[2]);
            QVERIFY2(maxAbsDiff(y, ref) < 1e-4, qPrintable(QString::number(maxAbsDiff(y, ref))));
        }
        // Another batch size gets its own primitives and still matches.
        rig.setBatch(3);
        fillUniform(rig.x, rng);
        const Tensor& y = rig.run(false);
        Tensor ref = naiveConv(rig.x, w->value, b ? &b->value : nullptr, stride, dil, same,
                               rig.outShape[1], rig.outShape[2]);
        QVERIFY(maxAbsDiff(y, ref) < 1e-4);
    }

    void convDefaultInit() {
        Rig rig("Conv2D", "filters=16;kernel=3", Shape{4, 5, 5}, 1);
        Rng rng(3);
        rig.layer->initialize(rng, InitScheme::Default);
        const float bound = 1.0f / std::sqrt(4.0f * 9.0f);
        for (const char* name : {"weight", "bias"}) {
            const Tensor& t = rig.param(name)->value;
            float maxAbs = 0;
            for (int64_t i = 0; i < t.size(); ++i) maxAbs = std::max(maxAbs, std::abs(t[i]));
            QVERIFY2(maxAbs <= bound && maxAbs > 0.5f * bound, name);
        }
        QVERIFY(!rig.param("bias")->decay);
        QVERIFY(rig.param("weight")->decay);
    }

    void convGradients_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("stride 2 same dilation 2") << "filters=3;stride=2;dilation=2"
                                                  << "2x5x6";
        QTest::newRow("valid") << "filters=2;padding=valid"
                               << "3x5x5";
        QTest::newRow("even kernel no bias") << "filters=2;kernel=2;use_bias=false"
                                             << "2x4x5";
        QTest::newRow("wide") << "filters=16;kernel=3"
                              << "16x4x4";
    }
    void convGradients() {
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rng rng(11);
        Rig rig("Conv2D", params, parseShape(input.toStdString()), 2);
        rig.layer->initialize(rng, InitScheme::Default);
        fillUniform(rig.x, rng);
        checkAllGradients(rig, rng, 0.05f, 2e-3);  // linear: differences are exact
    }

    void convSkipsInputGradient() {
        Rig rig("Conv2D", "filters=2", Shape{1, 4, 4}, 2);
        Rng rng(5);
        rig.layer->initialize(rng, InitScheme::Default);
        fillUniform(rig.x, rng);
        rig.run(true);
        Tensor g(rig.y.dims());
        g.fill(1.0f);
        rig.layer->backward({&rig.x}, rig.y, g, {nullptr});
        // db = Σ g over batch and positions.
        QCOMPARE(rig.param("bias")->grad[0], 2.0f * 16.0f);
    }

    // Kernel 3, stride 2, padding 1, output padding 1 on x = [[1,2],[3,4]] with an all-ones
    // kernel. Each x[i][j] stamps ones on rows and columns 2i..2i+2 / 2j..2j+2 of the uncropped
    // 5×5 result; padding 1 crops the first row and column, output padding 1 keeps the last:
    //   uncropped          output (rows/cols 1..4)
    //   1 1  3 2 2         1  3 2 2
    //   1 1  3 2 2         4 10 6 6
    //   4 4 10 6 6         3  7 4 4
    //   3 3  7 4 4         3  7 4 4
    //   3 3  7 4 4
    // Backward with an all-ones gradient: dx[i][j] counts the outputs x[i][j] reached (2·2,
    // 2·3, 3·2, 3·3); dw[ky][kx] sums the x whose tap (ky, kx) lands inside the output; db
    // counts all 16 outputs.
    void deconvHandComputed() {
        Rig rig("Conv2DTranspose", "filters=1", Shape{1, 2, 2}, 1);
        QCOMPARE(rig.outShape.toAsciiString(), std::string("1x4x4"));
        const float x[] = {1, 2, 3, 4};
        std::copy(x, x + 4, rig.x.data());
        rig.param("weight")->value.fill(1.0f);
        rig.param("bias")->value.fill(0.5f);
        const float expected[] = {1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4};
        for (bool training : {true, false}) {
            const Tensor& y = rig.run(training);
            for (int i = 0; i < 16; ++i) QCOMPARE(y[i], expected[i] + 0.5f);
        }
        Tensor g(rig.y.dims());
        g.fill(1.0f);
        Tensor dx(rig.x.dims());
        rig.layer->backward({&rig.x}, rig.y, g, {&dx});
        const float dxExpected[] = {4, 6, 6, 9};
        for (int i = 0; i < 4; ++i) QCOMPARE(dx[i], dxExpected[i]);
        // Tap row ky lands on output row 2i − 1 + ky: ky = 0 only for i = 1, ky = 1, 2 for both;
        // the same for columns. dw[ky][kx] = Σ x[i][j] over those i, j.
        const float dwExpected[] = {4, 7, 7, 6, 10, 10, 6, 10, 10};
        const Tensor& dw = rig.param("weight")->grad;
        for (int i = 0; i < 9; ++i) QCOMPARE(dw[i], dwExpected[i]);
        QCOMPARE(rig.param("bias")->grad[0], 16.0f);
    }

    // Weights are {in channels, filters, k, k}: weight[ic][oc] connects input channel ic to
    // output channel oc (stride 2, kernel 1: each input pixel lands on one output pixel).
    void deconvWeightLayoutIsInputMajor() {
        Rig rig("Conv2DTranspose",
                "filters=3;kernel=1;stride=2;padding=0;output_padding=1;use_bias=false",
                Shape{2, 1, 1}, 1);
        QCOMPARE(rig.outShape.toAsciiString(), std::string("3x2x2"));
        rig.x[0] = 1.0f;   // channel 0
        rig.x[1] = 10.0f;  // channel 1
        Tensor& w = rig.param("weight")->value;
        for (int64_t i = 0; i < 6; ++i) w[i] = float(i + 1);  // w[ic][oc] = 3·ic + oc + 1
        const Tensor& y = rig.run(false);
        for (int64_t oc = 0; oc < 3; ++oc) {
            QCOMPARE(y[oc * 4], 1.0f * float(oc + 1) + 10.0f * float(3 + oc + 1));
            for (int64_t i = 1; i < 4; ++i) QCOMPARE(y[oc * 4 + i], 0.0f);  // no stamp there
        }
    }

    void deconvMatchesReference_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("default k3 s2 p1 op1") << "filters=4"
                                              << "3x5x4";
        QTest::newRow("padding 0 output padding 1") << "filters=3;padding=0;output_padding=1"
                                                    << "2x4x3";
        QTest::newRow("dcgan k4 s2 p1") << "filters=5;kernel=4;padding=1;output_padding=0"
                                        << "3x4x4";
        QTest::newRow("stride 1 no bias")
            << "filters=2;kernel=5;stride=1;padding=2;output_padding=0;use_bias=false"
            << "3x6x5";
        QTest::newRow("stride 3 output padding 2")
            << "filters=2;stride=3;padding=1;output_padding=2"
            << "2x3x4";
        QTest::newRow("many channels") << "filters=32"
                                       << "16x4x4";
    }
    void deconvMatchesReference() {
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rng rng(41);
        Rig rig("Conv2DTranspose", params, parseShape(input.toStdString()), 2);
        rig.layer->initialize(rng, InitScheme::Default);
        fillUniform(rig.x, rng);
        Parameter* w = rig.param("weight");
        Parameter* b = rig.param("bias");
        const int64_t stride = rig.params.getInt("stride");
        const int64_t padding = rig.params.getInt("padding");
        for (bool training : {true, false}) {
            const Tensor& y = rig.run(training);
            Tensor ref = naiveDeconv(rig.x, w->value, b ? &b->value : nullptr, stride, padding,
                                     rig.outShape[1], rig.outShape[2]);
            QVERIFY2(maxAbsDiff(y, ref) < 1e-4, qPrintable(QString::number(maxAbsDiff(y, ref))));
        }
        // Another batch size gets its own primitives and still matches.
        rig.setBatch(3);
        fillUniform(rig.x, rng);
        Tensor ref = naiveDeconv(rig.x, w->value, b ? &b->value : nullptr, stride, padding,
                                 rig.outShape[1], rig.outShape[2]);
        QVERIFY(maxAbsDiff(rig.run(false), ref) < 1e-4);
    }

    void deconvGradients_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("default k3 s2 p1 op1") << "filters=3"
                                              << "2x4x5";
        QTest::newRow("padding 0 output padding 1") << "filters=2;padding=0;output_padding=1"
                                                    << "2x3x3";
        QTest::newRow("dcgan k4 s2 p1 no bias")
            << "filters=2;kernel=4;padding=1;output_padding=0;use_bias=false"
            << "3x3x4";
        QTest::newRow("stride 1") << "filters=3;stride=1;padding=1;output_padding=0"
                                  << "2x4x4";
        QTest::newRow("stride 3 output padding 2")
            << "filters=2;stride=3;padding=2;output_padding=2"
            << "2x3x3";
        QTest::newRow("wide") << "filters=16"
                              << "16x3x3";
    }
    void deconvGradients() {
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rng rng(43);
        Rig rig("Conv2DTranspose", params, parseShape(input.toStdString()), 2);
        rig.layer->initialize(rng, InitScheme::Default);
        fillUniform(rig.x, rng);
        checkAllGradients(rig, rng, 0.05f, 2e-3);  // linear: differences are exact
    }

    // PyTorch's ConvTranspose2d default: U(±1/sqrt(filters·k²)) for weights and bias.
    void deconvDefaultInit() {
        Rig rig("Conv2DTranspose", "filters=6;kernel=3", Shape{40, 3, 3}, 1);
        Rng rng(47);
        rig.layer->initialize(rng, InitScheme::Default);
        const float bound = 1.0f / std::sqrt(6.0f * 9.0f);
        for (const char* name : {"weight", "bias"}) {
            const Tensor& t = rig.param(name)->value;
            float maxAbs = 0;
            for (int64_t i = 0; i < t.size(); ++i) maxAbs = std::max(maxAbs, std::abs(t[i]));
            QVERIFY2(maxAbs <= bound && maxAbs > 0.5f * bound, name);
        }
        QVERIFY(!rig.param("bias")->decay);
        QVERIFY(rig.param("weight")->decay);
        // He: N(0, 2/fan_in) with the same fan-in.
        rig.layer->initialize(rng, InitScheme::He);
        const Tensor& w = rig.param("weight")->value;
        double sq = 0;
        for (int64_t i = 0; i < w.size(); ++i) sq += double(w[i]) * w[i];
        const double var = sq / double(w.size());
        QVERIFY2(std::abs(var - 2.0 / 54.0) < 0.1 * 2.0 / 54.0, qPrintable(QString::number(var)));
    }

    // x = [[1,2],[3,4]] doubled: nearest repeats each pixel 2×2; bilinear samples at
    // (o + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1 (clamped to the
    // last pixel), so row 0 is 1, 1.25, 1.75, 2 and row 1 is 0.75·row0 + 0.25·(3, 3.25, 3.75, 4).
    void upsampleHandComputed() {
        Rig nearest("Upsample", "", Shape{1, 2, 2}, 1);
        Rig bilinear("Upsample", "mode=bilinear", Shape{1, 2, 2}, 1);
        const float x[] = {1, 2, 3, 4};
        std::copy(x, x + 4, nearest.x.data());
        std::copy(x, x + 4, bilinear.x.data());
        const float n[] = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
        const float b[] = {1.0f, 1.25f, 1.75f, 2.0f, 1.5f, 1.75f, 2.25f, 2.5f,
                           2.5f, 2.75f, 3.25f, 3.5f, 3.0f, 3.25f, 3.75f, 4.0f};
        for (bool training : {true, false}) {
            const Tensor& yn = nearest.run(training);
            const Tensor& yb = bilinear.run(training);
            for (int i = 0; i < 16; ++i) {
                QCOMPARE(yn[i], n[i]);
                QVERIFY2(std::abs(yb[i] - b[i]) < 1e-6, qPrintable(QString::number(i)));
            }
        }
        // Nearest backward sums the gradient of the 2×2 copies of each pixel.
        Tensor g(nearest.y.dims());
        for (int i = 0; i < 16; ++i) g[i] = float(i);
        Tensor dx(nearest.x.dims());
        nearest.layer->backward({&nearest.x}, nearest.y, g, {&dx});
        QCOMPARE(dx[0], 0.0f + 1 + 4 + 5);
        QCOMPARE(dx[1], 2.0f + 3 + 6 + 7);
        QCOMPARE(dx[2], 8.0f + 9 + 12 + 13);
        QCOMPARE(dx[3], 10.0f + 11 + 14 + 15);
    }

    void upsampleMatchesReference_data() {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("nearest 2") << ""
                                   << "3x5x4";
        QTest::newRow("nearest 3") << "scale_factor=3"
                                   << "2x3x5";
        QTest::newRow("nearest 1") << "scale_factor=1"
                                   << "2x3x5";
        QTest::newRow("bilinear 2") << "mode=bilinear"
                                    << "3x5x4";
        QTest::newRow("bilinear 3") << "mode=bilinear;scale_factor=3"
                                    << "2x4x3";
        QTest::newRow("bilinear 4 one row") << "mode=bilinear;scale_factor=4"
                                            << "2x1x5";
    }
    void upsampleMatchesReference() {
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rig rig("Upsample", params, parseShape(input.toStdString()), 2);
        Rng rng(53);
        fillUniform(rig.x, rng);
        Tensor ref = naiveUpsample(rig.x, rig.params.getInt("scale_factor"),
                                   rig.params.getString("mode") == "bilinear");
        for (bool training : {true, false}) {
            const Tensor& y = rig.run(training);
            QVERIFY2(maxAbsDiff(y, ref) < 1e-5, qPrintable(QString::number(maxAbsDiff(y, ref))));
        }
        // Linear in x: the gradients are exact.
        checkAllGradients(rig, rng, 0.05f, 2e-3);
    }

    void poolMatchesReference_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("max 2") << "MaxPool2D"
                               << ""
                               << "3x6x6";
        QTest::newRow("max 2 odd valid") << "MaxPool2D"
                                         << ""
                                         << "2x7x5";
        QTest::newRow("max 2 odd same") << "MaxPool2D"
                                        << "padding=same"
                                        << "2x7x5";
        QTest::newRow("max 3 stride 2 same") << "MaxPool2D"
                                             << "pool_size=3;stride=2;padding=same"
                                             << "2x8x7";
        QTest::newRow("max 3 stride 1 same") << "MaxPool2D"
                                             << "pool_size=3;stride=1;padding=same"
                                             << "2x5x5";
        QTest::newRow("avg 2") << "AvgPool2D"
                               << ""
                               << "3x6x6";
        QTest::newRow("avg 3 same") << "AvgPool2D"
                                    << "pool_size=3;padding=same"
                                    << "2x7x8";
        QTest::newRow("avg 3 stride 1 same") << "AvgPool2D"
                                             << "pool_size=3;stride=1;padding=same"
                                             << "2x5x6";
        QTest::newRow("avg 4 stride 2 same") << "AvgPool2D"
                                             << "pool_size=4;stride=2;padding=same"
                                             << "1x5x5";
        QTest::newRow("max window wider than input") << "MaxPool2D"
                                                     << "pool_size=7;padding=same"
                                                     << "2x3x4";
        QTest::newRow("avg window wider than input") << "AvgPool2D"
                                                     << "pool_size=7;stride=2;padding=same"
                                                     << "2x3x4";
    }
    void poolMatchesReference() {
        QFETCH(QString, type);
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rig rig(qPrintable(type), params, parseShape(input.toStdString()), 2);
        Rng rng(9);
        fillUniform(rig.x, rng);
        const int64_t k = rig.params.getInt("pool_size");
        const int64_t s = rig.params.getInt("stride") ? rig.params.getInt("stride") : k;
        const bool same = rig.params.getString("padding") == "same";
        Tensor ref =
            naivePool(rig.x, k, s, same, type == "MaxPool2D", rig.outShape[1], rig.outShape[2]);
        for (bool training : {true, false}) {
            const Tensor& y = rig.run(training);
            QVERIFY2(maxAbsDiff(y, ref) < 1e-5, qPrintable(QString::number(maxAbsDiff(y, ref))));
        }
    }

    void poolGradients_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("input");
        QTest::newRow("max 2") << "MaxPool2D"
                               << ""
                               << "2x6x6";
        QTest::newRow("max 3 stride 2 same") << "MaxPool2D"
                                             << "pool_size=3;stride=2;padding=same"
                                             << "2x7x6";
        QTest::newRow("avg 2 odd") << "AvgPool2D"
                                   << ""
                                   << "2x5x5";
        QTest::newRow("avg 3 stride 1 same") << "AvgPool2D"
                                             << "pool_size=3;stride=1;padding=same"
                                             << "2x5x4";
        QTest::newRow("global") << "GlobalAvgPool"
                                << ""
                                << "3x4x5";
    }
    void poolGradients() {
        QFETCH(QString, type);
        QFETCH(QString, params);
        QFETCH(QString, input);
        Rig rig(qPrintable(type), params, parseShape(input.toStdString()), 2);
        Rng rng(13);
        // Distinct values 0.01 apart in random order: a 1e-3 step never changes which element
        // is the maximum, so the differences are exact.
        std::vector<float> values(static_cast<size_t>(rig.x.size()));
        for (size_t i = 0; i < values.size(); ++i) values[i] = 0.01f * float(i) - 1.0f;
        std::shuffle(values.begin(), values.end(), rng.generator());
        std::copy(values.begin(), values.end(), rig.x.data());
        checkAllGradients(rig, rng, 1e-3f, 5e-3);
    }

    void maxPoolGradientGoesToTheMaximum() {
        Rig rig("MaxPool2D", "", Shape{1, 2, 2}, 1);
        const float x[] = {1, 5, 3, 2};
        std::copy(x, x + 4, rig.x.data());
        QCOMPARE(rig.run(true)[0], 5.0f);
        Tensor g({1, 1, 1, 1});
        g[0] = 2.0f;
        Tensor dx(rig.x.dims());
        dx.fill(9.0f);
        rig.layer->backward({&rig.x}, rig.y, g, {&dx});
        QCOMPARE(dx[0], 0.0f);
        QCOMPARE(dx[1], 2.0f);
        QCOMPARE(dx[2], 0.0f);
        QCOMPARE(dx[3], 0.0f);
    }

    void globalAvgPoolAverages() {
        Rig rig("GlobalAvgPool", "", Shape{3, 4, 5}, 2);
        Rng rng(17);
        fillUniform(rig.x, rng);
        const Tensor& y = rig.run(false);
        QCOMPARE(rig.y.dims(), (std::vector<int64_t>{2, 3}));
        for (int64_t nc = 0; nc < 6; ++nc) {
            double sum = 0;
            for (int64_t i = 0; i < 20; ++i) sum += rig.x[nc * 20 + i];
            QVERIFY(std::abs(y[nc] - sum / 20) < 1e-5);
        }
    }

    void batchNormTraining_data() {
        QTest::addColumn<QString>("input");
        QTest::newRow("image") << "3x4x5";
        QTest::newRow("flat") << "6";
    }
    void batchNormTraining() {
        QFETCH(QString, input);
        const Shape shape = parseShape(input.toStdString());
        const int64_t batch = 8, c = shape[0];
        const int64_t hw = shape.rank() == 3 ? shape[1] * shape[2] : 1;
        Rig rig("BatchNorm", "momentum=0.1;epsilon=1e-5", shape, batch);
        Rng rng(21);
        // Channel c has mean about 2c − 1 and spread 1 + c.
        for (int64_t n = 0; n < batch; ++n)
            for (int64_t ch = 0; ch < c; ++ch)
                for (int64_t i = 0; i < hw; ++i)
                    rig.x[(n * c + ch) * hw + i] = 2.0f * ch - 1.0f + (1.0f + ch) * rng.normal();
        const Tensor& y = rig.run(true);
        const double count = double(batch * hw);
        for (int64_t ch = 0; ch < c; ++ch) {
            double xs = 0, xs2 = 0, ys = 0, ys2 = 0;
            for (int64_t n = 0; n < batch; ++n)
                for (int64_t i = 0; i < hw; ++i) {
                    const int64_t at = (n * c + ch) * hw + i;
                    xs += rig.x[at];
                    xs2 += double(rig.x[at]) * rig.x[at];
                    ys += y[at];
                    ys2 += double(y[at]) * y[at];
                }
            const double mean = xs / count, var = xs2 / count - mean * mean;
            QVERIFY(std::abs(ys / count) < 1e-4);
            QVERIFY(std::abs(ys2 / count - var / (var + 1e-5)) < 1e-3);
            // PyTorch: running = 0.9·running + 0.1·batch, unbiased variance.
            QVERIFY(std::abs((*rig.state("running_mean"))[ch] - 0.1 * mean) < 1e-4);
            const double unbiased = var * count / (count - 1);
            QVERIFY(std::abs((*rig.state("running_var"))[ch] - (0.9 + 0.1 * unbiased)) < 1e-3);
        }
        // gamma and beta scale and shift the normalized values.
        Tensor normalized = rig.y;
        rig.param("gamma")->value.fill(2.0f);
        rig.param("beta")->value.fill(-0.5f);
        const Tensor& y2 = rig.run(true);
        for (int64_t i = 0; i < y2.size(); ++i)
            QVERIFY(std::abs(y2[i] - (2.0f * normalized[i] - 0.5f)) < 1e-4);
        QVERIFY(!rig.param("gamma")->decay);
        QVERIFY(!rig.param("beta")->decay);
    }

    void batchNormInferenceUsesRunningStats() {
        Rig rig("BatchNorm", "epsilon=0.001", Shape{2, 3, 3}, 2);
        Rng rng(23);
        fillUniform(rig.x, rng, -3, 3);
        Tensor& mean = *rig.state("running_mean");
        Tensor& var = *rig.state("running_var");
        QCOMPARE(mean[0], 0.0f);
        QCOMPARE(var[0], 1.0f);
        mean[0] = 0.5f;
        mean[1] = -1.0f;
        var[0] = 4.0f;
        var[1] = 0.25f;
        rig.param("gamma")->value[1] = 3.0f;
        rig.param("beta")->value[0] = 0.25f;
        const Tensor& y = rig.run(false);
        const float gamma[] = {1.0f, 3.0f}, beta[] = {0.25f, 0.0f};
        for (int64_t n = 0; n < 2; ++n)
            for (int64_t ch = 0; ch < 2; ++ch)
                for (int64_t i = 0; i < 9; ++i) {
                    const int64_t at = (n * 2 + ch) * 9 + i;
                    const float ref =
                        (rig.x[at] - mean[ch]) / std::sqrt(var[ch] + 0.001f) * gamma[ch] + beta[ch];
                    QVERIFY(std::abs(y[at] - ref) < 1e-4);
                }
        QCOMPARE(mean[0], 0.5f);  // inference leaves the statistics alone
        QCOMPARE(var[1], 0.25f);
    }

    void batchNormGradients_data() {
        QTest::addColumn<QString>("input");
        QTest::newRow("image") << "2x3x3";
        QTest::newRow("flat") << "4";
    }
    void batchNormGradients() {
        QFETCH(QString, input);
        Rig rig("BatchNorm", "", parseShape(input.toStdString()), 4);
        Rng rng(29);
        fillUniform(rig.x, rng, -2, 2);
        fillUniform(rig.param("gamma")->value, rng, 0.5f, 1.5f);
        fillUniform(rig.param("beta")->value, rng);
        checkAllGradients(rig, rng, 2e-3f, 2e-2);
    }

    void dropoutTraining() {
        Rig rig("Dropout", "rate=0.3", Shape{100, 50}, 4, 42);
        Rng rng(31);
        fillUniform(rig.x, rng, 0.5f, 1.5f);  // never zero
        const Tensor& y = rig.run(true);
        int64_t zeros = 0;
        for (int64_t i = 0; i < y.size(); ++i) {
            if (y[i] == 0.0f) {
                ++zeros;
                continue;
            }
            QVERIFY(std::abs(y[i] - rig.x[i] / 0.7f) < 1e-5);
        }
        const double fraction = double(zeros) / double(y.size());
        QVERIFY2(std::abs(fraction - 0.3) < 0.02, qPrintable(QString::number(fraction)));
        // Backward lets the gradient through exactly where the value survived, scaled the same.
        Tensor g(rig.y.dims());
        g.fill(1.0f);
        Tensor dx(rig.x.dims());
        rig.layer->backward({&rig.x}, rig.y, g, {&dx});
        for (int64_t i = 0; i < y.size(); ++i) QCOMPARE(dx[i], y[i] == 0.0f ? 0.0f : 1.0f / 0.7f);
        // The next batch gets a new mask.
        Tensor first = rig.y;
        rig.run(true);
        QVERIFY(maxAbsDiff(first, rig.y) > 0);
        // The same seed gives the same mask.
        Rig again("Dropout", "rate=0.3", Shape{100, 50}, 4, 42);
        again.x = rig.x;
        again.run(true);
        QCOMPARE(maxAbsDiff(first, again.y), 0.0);
    }

    void dropoutInferenceIsIdentity() {
        Rig rig("Dropout", "rate=0.9", Shape{64}, 3);
        Rng rng(37);
        fillUniform(rig.x, rng);
        QCOMPARE(maxAbsDiff(rig.run(false), rig.x), 0.0);
        Tensor g(rig.y.dims());
        fillUniform(g, rng);
        Tensor dx(rig.x.dims());
        rig.layer->backward({&rig.x}, rig.y, g, {&dx});
        QCOMPARE(maxAbsDiff(dx, g), 0.0);
        Rig none("Dropout", "rate=0", Shape{64}, 3);
        none.x = rig.x;
        QCOMPARE(maxAbsDiff(none.run(true), rig.x), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestConvLayers)
#include "test_conv_layers.moc"
