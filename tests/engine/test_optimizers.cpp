// Optimizers, regularization, clipping and weight initialisation. Each optimizer runs three steps
// with fixed gradients and is compared with (a) a reference written here in double from the
// formulas in PyTorch's torch.optim documentation and (b) numbers PyTorch itself produced.
#include <QtTest>

#include <cmath>
#include <functional>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/optim/optimizer.h"

using namespace netloom::engine;

namespace {

const std::vector<double> kW0 = {0.5, -1.2, 0.3, 2.0, -0.7};
const std::vector<std::vector<double>> kGrads = {
    {0.1, -0.2, 0.3, -0.4, 0.5}, {-0.3, 0.25, 0.05, 0.6, -0.1}, {0.2, 0.1, -0.45, -0.2, 0.35}};

struct Case {
    const char* name;
    OptimizerConfig config;
    std::vector<float> torch;  // weights after the three steps of kGrads, from PyTorch
};

// The torch column was produced once with /usr/bin/python3 (torch 1.13, python3-torch) running
// /tmp/optim/torch_ref.py: for each case, p = Parameter(tensor(kW0)); opt = <cls>([p], **kw);
// three times { p.grad = tensor(g); opt.step() }; print(p).
const std::vector<Case>& cases() {
    static const std::vector<Case> list = {
        {"sgd",
         OptimizerConfig().withType("sgd").withLr(0.1),
         {0.50000006f, -1.215f, 0.31f, 1.9999999f, -0.77500004f}},
        {"sgd_momentum",
         OptimizerConfig().withType("sgd").withLr(0.1).withMomentum(0.9),
         {0.50990003f, -1.2033f, 0.25420001f, 2.0144f, -0.85150003f}},
        {"sgd_dampening",
         OptimizerConfig().withType("sgd").withLr(0.1).withMomentum(0.9).withDampening(0.5),
         {0.49140003f, -1.1745501f, 0.23645f, 2.0613999f, -0.84350002f}},
        {"sgd_nesterov",
         OptimizerConfig().withType("sgd").withLr(0.1).withMomentum(0.9).withNesterov(true),
         {0.50891f, -1.21797f, 0.26878002f, 2.01296f, -0.91135001f}},
        {"sgd_weight_decay",
         OptimizerConfig().withType("sgd").withLr(0.1).withMomentum(0.9).withWeightDecay(0.1),
         {0.48216847f, -1.1370629f, 0.23870072f, 1.9022421f, -0.81077027f}},
        {"adam",
         OptimizerConfig().withType("adam").withLr(0.1),
         {0.44754022f, -1.1473376f, 0.14072683f, 2.073863f, -0.91983628f}},
        {"adam_weight_decay",
         OptimizerConfig().withType("adam").withLr(0.1).withBetas(0.8, 0.95).withWeightDecay(0.1),
         {0.41238984f, -1.0528748f, 0.14304624f, 1.9948119f, -0.88105929f}},
        {"adamw",
         OptimizerConfig().withType("adamw").withLr(0.1).withWeightDecay(0.1),
         {0.43418553f, -1.1135237f, 0.13458988f, 2.0127189f, -0.89654458f}},
        {"rmsprop",
         OptimizerConfig().withType("rmsprop").withLr(0.01),
         {0.44125259f, -1.2082442f, 0.2665875f, 2.0435562f, -0.83726418f}},
        {"rmsprop_momentum",
         OptimizerConfig()
             .withType("rmsprop")
             .withLr(0.01)
             .withAlpha(0.9)
             .withMomentum(0.9)
             .withWeightDecay(0.05),
         {0.45003325f, -1.1556001f, 0.22820763f, 2.0343161f, -0.78628975f}},
    };
    return list;
}

// The documented update rules, in double, written independently of the engine.
struct Reference {
    OptimizerConfig c;
    std::vector<double> w, buf, m, v;
    int t = 0;

    Reference(const OptimizerConfig& config, std::vector<double> w0)
        : c(config), w(std::move(w0)), buf(w.size(), 0), m(w.size(), 0), v(w.size(), 0) {}

    void step(const std::vector<double>& grad) {
        ++t;
        for (size_t i = 0; i < w.size(); ++i) {
            double g = grad[i];
            if (c.type == "sgd") {
                g += c.weightDecay * w[i];
                if (c.momentum != 0) {
                    buf[i] = t == 1 ? g : c.momentum * buf[i] + (1 - c.dampening) * g;
                    g = c.nesterov ? g + c.momentum * buf[i] : buf[i];
                }
                w[i] -= c.lr * g;
            } else if (c.type == "adam" || c.type == "adamw") {
                if (c.type == "adamw")
                    w[i] -= c.lr * c.weightDecay * w[i];
                else
                    g += c.weightDecay * w[i];
                m[i] = c.beta1 * m[i] + (1 - c.beta1) * g;
                v[i] = c.beta2 * v[i] + (1 - c.beta2) * g * g;
                const double mHat = m[i] / (1 - std::pow(c.beta1, t));
                const double vHat = v[i] / (1 - std::pow(c.beta2, t));
                w[i] -= c.lr * mHat / (std::sqrt(vHat) + c.eps);
            } else {  // rmsprop
                g += c.weightDecay * w[i];
                v[i] = c.alpha * v[i] + (1 - c.alpha) * g * g;
                const double avg = std::sqrt(v[i]) + c.eps;
                if (c.momentum > 0) {
                    buf[i] = c.momentum * buf[i] + g / avg;
                    w[i] -= c.lr * buf[i];
                } else {
                    w[i] -= c.lr * g / avg;
                }
            }
        }
    }
};

Parameter makeParam(const std::vector<double>& values, const char* name = "weight") {
    Parameter p;
    p.name = name;
    p.value.resize({static_cast<int64_t>(values.size())});
    p.grad.resize({static_cast<int64_t>(values.size())});
    for (size_t i = 0; i < values.size(); ++i) p.value[static_cast<int64_t>(i)] = float(values[i]);
    p.grad.zero();
    return p;
}

void setGrad(Parameter& p, const std::vector<double>& g) {
    for (size_t i = 0; i < g.size(); ++i) p.grad[static_cast<int64_t>(i)] = float(g[i]);
}

// The message of the netloom::Error that f throws, or "" when it does not throw.
QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

bool close(double actual, double expected, double tol = 1e-5) {
    return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

double sampleMean(const Tensor& t) {
    double s = 0;
    for (int64_t i = 0; i < t.size(); ++i) s += t[i];
    return s / double(t.size());
}

double sampleStd(const Tensor& t) {
    const double mean = sampleMean(t);
    double s = 0;
    for (int64_t i = 0; i < t.size(); ++i) s += (t[i] - mean) * (t[i] - mean);
    return std::sqrt(s / double(t.size() - 1));
}

}  // namespace

class TestOptimizers : public QObject {
    Q_OBJECT
private slots:
    void matchesDocumentedRules_data() {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < cases().size(); ++i)
            QTest::newRow(cases()[i].name) << static_cast<int>(i);
    }
    void matchesDocumentedRules() {
        QFETCH(int, index);
        const Case& c = cases()[static_cast<size_t>(index)];
        Parameter p = makeParam(kW0);
        Reference ref(c.config, kW0);
        auto opt = createOptimizer(c.config);
        for (const auto& g : kGrads) {
            setGrad(p, g);
            opt->step({&p});
            ref.step(g);
        }
        for (size_t i = 0; i < kW0.size(); ++i) {
            const double got = p.value[static_cast<int64_t>(i)];
            QVERIFY2(close(got, ref.w[i]), qPrintable(QString("w[%1] = %2, documented rule "
                                                              "gives %3")
                                                          .arg(i)
                                                          .arg(got, 0, 'g', 9)
                                                          .arg(ref.w[i], 0, 'g', 9)));
            QVERIFY2(close(got, c.torch[i]), qPrintable(QString("w[%1] = %2, PyTorch gives %3")
                                                            .arg(i)
                                                            .arg(got, 0, 'g', 9)
                                                            .arg(c.torch[i], 0, 'g', 9)));
        }
        // The reference itself must agree with PyTorch, or the two checks prove nothing.
        for (size_t i = 0; i < kW0.size(); ++i) QVERIFY(close(ref.w[i], c.torch[i]));
    }

    // A long tensor whose length is not a multiple of the vector width exercises the
    // vectorized body and the remainder, over five steps.
    void matchesReferenceOnLongTensor_data() { matchesDocumentedRules_data(); }
    void matchesReferenceOnLongTensor() {
        QFETCH(int, index);
        const OptimizerConfig& config = cases()[static_cast<size_t>(index)].config;
        const int n = 1003;
        std::vector<double> w0(n);
        for (int i = 0; i < n; ++i) w0[i] = std::sin(0.37 * i) * 1.5;
        Parameter p = makeParam(w0);
        Reference ref(config, w0);
        auto opt = createOptimizer(config);
        for (int t = 0; t < 5; ++t) {
            std::vector<double> g(n);
            for (int i = 0; i < n; ++i) g[i] = std::cos(0.11 * i + t) * (0.2 + 0.1 * t);
            setGrad(p, g);
            opt->step({&p});
            ref.step(g);
        }
        for (int i = 0; i < n; ++i)
            QVERIFY2(close(p.value[i], ref.w[static_cast<size_t>(i)], 2e-5),
                     qPrintable(QString("element %1: %2 vs %3")
                                    .arg(i)
                                    .arg(p.value[i])
                                    .arg(ref.w[static_cast<size_t>(i)])));
    }

    void eachParameterKeepsItsOwnState() {
        // Two tensors in one optimizer behave exactly like two optimizers with one tensor each.
        const OptimizerConfig config = OptimizerConfig().withType("adam").withLr(0.05);
        Parameter a = makeParam(kW0), b = makeParam({1.0, -1.0, 0.25});
        Parameter a1 = makeParam(kW0), b1 = makeParam({1.0, -1.0, 0.25});
        auto both = createOptimizer(config);
        auto onlyA = createOptimizer(config);
        auto onlyB = createOptimizer(config);
        for (const auto& g : kGrads) {
            const std::vector<double> gb = {g[2], -g[0], g[4] * 3};
            setGrad(a, g), setGrad(a1, g), setGrad(b, gb), setGrad(b1, gb);
            both->step({&a, &b});
            onlyA->step({&a1});
            onlyB->step({&b1});
        }
        for (int64_t i = 0; i < a.value.size(); ++i) QCOMPARE(a.value[i], a1.value[i]);
        for (int64_t i = 0; i < b.value.size(); ++i) QCOMPARE(b.value[i], b1.value[i]);
    }

    void skipsFrozenParameters_data() {
        QTest::addColumn<QString>("type");
        for (const std::string& t : optimizerTypes())
            QTest::newRow(t.c_str()) << QString(t.c_str());
    }
    void skipsFrozenParameters() {
        QFETCH(QString, type);
        OptimizerConfig config = OptimizerConfig().withType(type.toStdString()).withLr(0.1);
        config.momentum = type == "adam" || type == "adamw" ? 0.0 : 0.9;
        Parameter live = makeParam(kW0), frozen = makeParam(kW0);
        frozen.frozen = true;
        auto opt = createOptimizer(config);
        for (const auto& g : kGrads) {
            setGrad(live, g), setGrad(frozen, g);
            opt->step({&live, &frozen});
        }
        for (size_t i = 0; i < kW0.size(); ++i)
            QCOMPARE(frozen.value[static_cast<int64_t>(i)], float(kW0[i]));
        QVERIFY(live.value[0] != float(kW0[0]));
        // Its state never advanced: unfrozen later, its first update is a first step.
        for (const auto& [name, tensor] : opt->state({&live, &frozen})) {
            if (name == "0.step") QCOMPARE((*tensor)[0], 3.0f);
            if (name == "1.step") QCOMPARE((*tensor)[0], 0.0f);
        }
    }

    void weightDecaySkipsNoDecayParameters_data() { skipsFrozenParameters_data(); }
    void weightDecaySkipsNoDecayParameters() {
        QFETCH(QString, type);
        const OptimizerConfig plain = OptimizerConfig().withType(type.toStdString()).withLr(0.1);
        const OptimizerConfig decayed = OptimizerConfig(plain).withWeightDecay(0.5);
        Parameter bias = makeParam(kW0, "bias"), expected = makeParam(kW0, "bias");
        bias.decay = false;
        auto withDecay = createOptimizer(decayed);
        auto without = createOptimizer(plain);
        for (const auto& g : kGrads) {
            setGrad(bias, g), setGrad(expected, g);
            withDecay->step({&bias});
            without->step({&expected});
        }
        for (int64_t i = 0; i < bias.value.size(); ++i) QCOMPARE(bias.value[i], expected.value[i]);
    }

    void l1AndL2AddToDecayGradients() {
        Parameter w = makeParam({0.5, -2.0, 0.0});
        Parameter b = makeParam({0.5, -2.0}, "bias");
        b.decay = false;
        setGrad(w, {0.1, 0.1, 0.1});
        setGrad(b, {0.1, 0.1});
        const double norm = regularizeAndClip({&w, &b}, OptimizerConfig().withL1(0.01).withL2(0.1));
        // g + l1·sign(w) + 2·l2·w: sign(0) = 0.
        const double expected[3] = {0.1 + 0.01 + 0.2 * 0.5, 0.1 - 0.01 - 0.2 * 2.0, 0.1};
        for (int i = 0; i < 3; ++i) QVERIFY(close(w.grad[i], expected[i], 1e-6));
        QCOMPARE(b.grad[0], 0.1f);
        QCOMPARE(b.grad[1], 0.1f);
        const double sq = expected[0] * expected[0] + expected[1] * expected[1] +
                          expected[2] * expected[2] + 0.1 * 0.1 + 0.1 * 0.1;
        QVERIFY(close(norm, std::sqrt(sq), 1e-6));
    }

    void clipsTheGlobalNorm() {
        Parameter a = makeParam({0, 0}), b = makeParam({0, 0}), f = makeParam({0});
        f.frozen = true;  // frozen gradients neither count nor change
        setGrad(a, {3, 0});
        setGrad(b, {0, 4});
        setGrad(f, {100});
        const double norm = regularizeAndClip({&a, &b, &f}, OptimizerConfig().withClipNorm(1.0));
        QVERIFY(close(norm, 5.0, 1e-9));
        const double scale = 1.0 / (5.0 + 1e-6);  // torch.nn.utils.clip_grad_norm_
        QVERIFY(close(a.grad[0], 3 * scale, 1e-6));
        QVERIFY(close(b.grad[1], 4 * scale, 1e-6));
        QCOMPARE(a.grad[1], 0.0f);
        QCOMPARE(f.grad[0], 100.0f);

        // Below the threshold nothing changes; 0 turns clipping off.
        setGrad(a, {3, 0});
        setGrad(b, {0, 4});
        QVERIFY(close(regularizeAndClip({&a, &b}, OptimizerConfig().withClipNorm(10.0)), 5, 1e-9));
        QCOMPARE(a.grad[0], 3.0f);
        QVERIFY(close(regularizeAndClip({&a, &b}, OptimizerConfig()), 5, 1e-9));
        QCOMPARE(b.grad[1], 4.0f);
    }

    void stepRegularizesAndClipsFirst() {
        // SGD with lr 1: the weight moves by exactly the regularized, clipped gradient.
        Parameter w = makeParam({1.0, -1.0});
        setGrad(w, {0.0, 0.0});
        auto opt = createOptimizer(
            OptimizerConfig().withType("sgd").withLr(1.0).withL2(1.5).withClipNorm(0.3));
        opt->step({&w});
        // grad = 2·1.5·w = (3, -3), norm 3√2, clipped to 0.3.
        const double g = 3.0 * 0.3 / (3.0 * std::sqrt(2.0) + 1e-6);
        QVERIFY(close(w.value[0], 1.0 - g, 1e-6));
        QVERIFY(close(w.value[1], -1.0 + g, 1e-6));
    }

    void rejectsInvalidConfigs_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("word");
        const char* words[] = {"optimizer.lr must be > 0, got 0",
                               "optimizer.lr",
                               "optimizer.lr",
                               "optimizer.beta1 must be at least 0 and below 1, got 1",
                               "optimizer.beta2",
                               "optimizer.eps",
                               "optimizer.weight_decay",
                               "optimizer.momentum",
                               "nesterov",
                               "nesterov",
                               "unknown",
                               "optimizer.alpha",
                               "optimizer.dampening",
                               "optimizer.l1",
                               "optimizer.clip_norm",
                               "optimizer.eps"};
        for (int i = 0; i < int(std::size(words)); ++i)
            QTest::newRow(qPrintable(QString("%1 %2").arg(i).arg(words[i]))) << i << words[i];
    }
    void rejectsInvalidConfigs() {
        QFETCH(int, index);
        QFETCH(QString, word);
        const OptimizerConfig bad[] = {
            OptimizerConfig().withLr(0),
            OptimizerConfig().withType("sgd").withLr(-0.1),
            OptimizerConfig().withLr(std::nan("")),
            OptimizerConfig().withBetas(1.0, 0.999),
            OptimizerConfig().withType("adamw").withBetas(0.9, -0.1),
            OptimizerConfig().withEps(0),
            OptimizerConfig().withType("sgd").withWeightDecay(-1),
            OptimizerConfig().withType("sgd").withMomentum(-0.5),
            OptimizerConfig().withType("sgd").withNesterov(true),
            OptimizerConfig().withType("sgd").withMomentum(0.9).withDampening(0.1).withNesterov(
                true),
            OptimizerConfig().withType("lbfgs"),
            OptimizerConfig().withType("rmsprop").withAlpha(1.0),
            OptimizerConfig().withType("sgd").withMomentum(0.9).withDampening(2),
            OptimizerConfig().withL1(-0.1),
            OptimizerConfig().withClipNorm(-1),
            OptimizerConfig().withType("rmsprop").withEps(std::numeric_limits<double>::infinity()),
        };
        const QString msg = errorOf([&] { createOptimizer(bad[index]); });
        QVERIFY2(!msg.isEmpty(), "no error thrown");
        QVERIFY2(msg.contains(word), qPrintable(msg));
    }

    void acceptsEveryTypeWithDefaults() {
        QCOMPARE(optimizerTypes(),
                 (std::vector<std::string>{"sgd", "adam", "adamw", "rmsprop", "lion"}));
        for (const std::string& t : optimizerTypes())
            QVERIFY(createOptimizer(OptimizerConfig().withType(t)) != nullptr);
        const QString msg = errorOf([] { createOptimizer(OptimizerConfig().withType("x")); });
        for (const std::string& t : optimizerTypes()) QVERIFY(msg.contains(t.c_str()));
    }

    void changesLearningRate() {
        Parameter w = makeParam({1.0});
        auto opt = createOptimizer(OptimizerConfig().withType("sgd").withLr(0.1));
        QCOMPARE(opt->learningRate(), 0.1);
        opt->setLearningRate(0.5);
        QCOMPARE(opt->learningRate(), 0.5);
        setGrad(w, {2.0});
        opt->step({&w});
        QCOMPARE(w.value[0], 0.0f);
        QVERIFY(errorOf([&] { opt->setLearningRate(-1); }).contains("lr"));
        QVERIFY(errorOf([&] { opt->setLearningRate(0); }).contains("lr must be > 0"));
        QVERIFY(errorOf([&] { opt->setLearningRate(std::nan("")); }).contains("lr"));
        QCOMPARE(opt->learningRate(), 0.5);
    }

    // Lion (Chen et al. 2023): c = β1·m + (1−β1)·g; w ← w − lr·(sign(c) + λ·w);
    // m ← β2·m + (1−β2)·g. Expected values worked out by hand (see the comments), three steps
    // with lr 0.1, β 0.9/0.99, λ 0.5, including a step where the momentum outvotes the gradient
    // (element 2 of step 3) and a zero gradient whose momentum still moves the weight.
    void lionFollowsItsRule() {
        const OptimizerConfig config =
            OptimizerConfig().withType("lion").withLr(0.1).withBetas(0.9, 0.99).withWeightDecay(
                0.5);
        Parameter p = makeParam({0.5, -1.0, 0.2});
        Parameter noDecay = makeParam({0.5});
        noDecay.decay = false;
        auto opt = createOptimizer(config);
        const std::vector<std::vector<double>> grads = {
            {0.3, -0.2, 0.0}, {-0.1, -0.5, 0.4}, {0.001, 0.0, -0.0001}};
        // step 1: c = 0.1·g = (0.03, −0.02, 0) → sign (1, −1, 0)
        //         w = (0.5 − 0.1·1.25, −1 + 0.1·1.5, 0.2 − 0.1·0.1) = (0.375, −0.85, 0.19)
        //         m = 0.01·g = (0.003, −0.002, 0)
        // step 2: c = (−0.0073, −0.0518, 0.04) → sign (−1, −1, 1)
        //         w = (0.45625, −0.7075, 0.0805), m = (0.00197, −0.00698, 0.004)
        // step 3: c = (0.001873, −0.006282, 0.00359) → sign (1, −1, 1)
        //         w = (0.3334375, −0.572125, −0.023525), m = (0.0019603, −0.0069102, 0.003959)
        const std::vector<std::vector<double>> weights = {
            {0.375, -0.85, 0.19}, {0.45625, -0.7075, 0.0805}, {0.3334375, -0.572125, -0.023525}};
        for (size_t s = 0; s < grads.size(); ++s) {
            setGrad(p, grads[s]);
            setGrad(noDecay, {grads[s][0]});
            opt->step({&p, &noDecay});
            for (size_t i = 0; i < 3; ++i)
                QVERIFY2(close(p.value[int64_t(i)], weights[s][i], 1e-6),
                         qPrintable(QString("step %1 element %2: %3")
                                        .arg(s + 1)
                                        .arg(i)
                                        .arg(p.value[int64_t(i)])));
        }
        // Without decay the weight moves by exactly lr per step: signs 1, −1, 1.
        QVERIFY(close(noDecay.value[0], 0.5 - 0.1 + 0.1 - 0.1, 1e-6));
        // Its state for checkpoints: the step count and the momentum.
        const auto state = opt->state({&p, &noDecay});
        QCOMPARE(state.size(), size_t(4));
        QCOMPARE(state[0].first, std::string("0.step"));
        QCOMPARE(state[1].first, std::string("0.exp_avg"));
        QCOMPARE((*state[0].second)[0], 3.0f);
        const double m[] = {0.0019603, -0.0069102, 0.003959};
        for (int64_t i = 0; i < 3; ++i) QVERIFY(close((*state[1].second)[i], m[i], 1e-6));
        // Its settings: β and weight decay are read and checked, momentum is not.
        const OptimizerDef* def = findOptimizer("lion");
        QVERIFY(def);
        QCOMPARE(def->displayName(), std::string("Lion"));
        QVERIFY(errorOf([] {
                    createOptimizer(OptimizerConfig().withType("lion").withBetas(0.9, 1.0));
                }).contains("optimizer.beta2"));
        QVERIFY(createOptimizer(OptimizerConfig().withType("lion").withMomentum(-5)) != nullptr);
    }

    void exportsAndImportsState() {
        const OptimizerConfig config = OptimizerConfig().withType("adam").withLr(0.1);
        Parameter p = makeParam(kW0);
        Reference ref(config, kW0);
        auto opt = createOptimizer(config);
        for (const auto& g : kGrads) {
            setGrad(p, g);
            opt->step({&p});
            ref.step(g);
        }
        auto state = opt->state({&p});
        QCOMPARE(state.size(), size_t(3));
        QCOMPARE(state[0].first, std::string("0.step"));
        QCOMPARE(state[1].first, std::string("0.exp_avg"));
        QCOMPARE(state[2].first, std::string("0.exp_avg_sq"));
        QCOMPARE((*state[0].second)[0], 3.0f);
        for (size_t i = 0; i < kW0.size(); ++i) {
            QVERIFY(close((*state[1].second)[int64_t(i)], ref.m[i], 1e-6));
            QVERIFY(close((*state[2].second)[int64_t(i)], ref.v[i], 1e-6));
        }

        // A fresh optimizer loaded with that state continues exactly like the original.
        Parameter copy = p;
        auto resumed = createOptimizer(config);
        auto target = resumed->state({&copy});
        QCOMPARE(target.size(), state.size());
        for (size_t i = 0; i < state.size(); ++i) *target[i].second = *state[i].second;
        setGrad(p, kGrads[0]);
        setGrad(copy, kGrads[0]);
        opt->step({&p});
        resumed->step({&copy});
        for (int64_t i = 0; i < p.value.size(); ++i) QCOMPARE(copy.value[i], p.value[i]);
    }

    void rejectsChangedParameterLists() {
        Parameter a = makeParam(kW0), b = makeParam({1.0, 2.0});
        auto opt = createOptimizer(OptimizerConfig().withType("adam"));
        setGrad(a, kGrads[0]);
        opt->step({&a, &b});
        QVERIFY(errorOf([&] { opt->step({&a}); }).contains("parameters"));
        Parameter bigger = makeParam({1.0, 2.0, 3.0}, "bias");
        QVERIFY(errorOf([&] { opt->step({&a, &bigger}); }).contains("'bias'"));

        // A gradient of the wrong size is reported before anything changes.
        Parameter bad = makeParam({1.0, 2.0}, "gamma");
        bad.grad.resize({5});
        const float before = a.value[0];
        const QString msg = errorOf([&] { opt->step({&a, &bad}); });
        QVERIFY2(msg.contains("'gamma'") && msg.contains("gradient"), qPrintable(msg));
        QCOMPARE(a.value[0], before);
    }

    void initMatchesTheoreticalMoments_data() {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<int>("fanIn");
        QTest::addColumn<int>("fanOut");
        QTest::addColumn<double>("stddev");
        QTest::addColumn<double>("bound");  // 0 for unbounded (normal)
        QTest::newRow("default") << "default" << 300 << 100 << 1.0 / std::sqrt(3.0 * 300)
                                 << 1.0 / std::sqrt(300.0);
        QTest::newRow("he") << "he" << 50 << 10 << std::sqrt(2.0 / 50) << 0.0;
        QTest::newRow("xavier") << "xavier" << 200 << 100 << std::sqrt(2.0 / 300)
                                << std::sqrt(6.0 / 300);
    }
    void initMatchesTheoreticalMoments() {
        QFETCH(QString, scheme);
        QFETCH(int, fanIn);
        QFETCH(int, fanOut);
        QFETCH(double, stddev);
        QFETCH(double, bound);
        Tensor w({400, 500});
        Rng rng(42);
        initWeights(w, fanIn, fanOut, parseInitScheme(scheme.toStdString()), rng);
        const double n = double(w.size());
        const double mean = sampleMean(w), sd = sampleStd(w);
        QVERIFY2(std::fabs(mean) < 5 * stddev / std::sqrt(n), qPrintable(QString::number(mean)));
        QVERIFY2(std::fabs(sd / stddev - 1) < 0.01, qPrintable(QString::number(sd)));
        if (bound > 0) {
            float lo = w[0], hi = w[0];
            for (int64_t i = 0; i < w.size(); ++i) lo = std::min(lo, w[i]), hi = std::max(hi, w[i]);
            QVERIFY(lo >= -bound && hi <= bound);
            QVERIFY(lo < -0.999 * bound && hi > 0.999 * bound);
        }
    }

    void initIsReproducible() {
        Tensor a({64, 32}), b({64, 32}), c({64, 32});
        for (InitScheme s : {InitScheme::Default, InitScheme::He, InitScheme::Xavier}) {
            Rng r1(7), r2(7), r3(8);
            initWeights(a, 32, 64, s, r1);
            initWeights(b, 32, 64, s, r2);
            initWeights(c, 32, 64, s, r3);
            QCOMPARE(a.storage(), b.storage());
            QVERIFY(a.storage() != c.storage());
        }
    }

    void initRejectsBadFans() {
        Tensor w({4, 4});
        Rng rng(1);
        QVERIFY(
            errorOf([&] { initWeights(w, 0, 4, InitScheme::Default, rng); }).contains("fan-in"));
        QVERIFY(
            errorOf([&] { initWeights(w, 4, 0, InitScheme::Xavier, rng); }).contains("fan-out"));
    }

    void parsesInitSchemes() {
        QCOMPARE(parseInitScheme("default"), InitScheme::Default);
        QCOMPARE(parseInitScheme("he"), InitScheme::He);
        QCOMPARE(parseInitScheme("Xavier"), InitScheme::Xavier);
        for (InitScheme s : {InitScheme::Default, InitScheme::He, InitScheme::Xavier})
            QCOMPARE(parseInitScheme(initSchemeName(s)), s);
        const QString msg = errorOf([] { parseInitScheme("kaiming"); });
        QVERIFY2(msg.contains("kaiming") && msg.contains("xavier"), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TestOptimizers)
#include "test_optimizers.moc"
