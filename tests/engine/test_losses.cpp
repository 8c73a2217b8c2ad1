// Losses: values against hand-computed examples, finite-difference gradients for every loss in
// the registry (so a new loss cannot skip the check), stability on huge logits, bad input.
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "engine/core/error.h"
#include "engine/losses/loss.h"

using namespace netloom::engine;

namespace {

Tensor makeTensor(std::vector<int64_t> dims, const std::vector<double>& values) {
    Tensor t(std::move(dims));
    Q_ASSERT(t.size() == static_cast<int64_t>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) t[static_cast<int64_t>(i)] = float(values[i]);
    return t;
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

bool close(double actual, double expected, double tol) {
    return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

// An output and a target that are valid for the loss described by info, with no output value
// within 0.05 of its target (L1's kink) so central differences stay on one side.
void makeExample(const LossInfo& info, std::mt19937& gen, Tensor& output, Tensor& target) {
    const int64_t n = 3, c = 4;
    output.resize({n, c});
    std::uniform_real_distribution<float> logit(-2.0f, 2.0f), prob(0.1f, 0.9f), unit(0.0f, 1.0f);
    for (int64_t i = 0; i < output.size(); ++i)
        output[i] = info.probabilities ? prob(gen) : logit(gen);
    if (info.classLabels) {
        target.resize({n});
        for (int64_t i = 0; i < n; ++i) target[i] = float(gen() % c);
        return;
    }
    target.resize({n, c});
    for (int64_t i = 0; i < target.size(); ++i) {
        do target[i] = unit(gen);
        while (std::fabs(target[i] - output[i]) < 0.05f);
    }
}

}  // namespace

class TestLosses : public QObject {
    Q_OBJECT
private slots:
    void registryIsConsistent() {
        const std::vector<std::string> expected = {"cross_entropy", "bce_logits", "bce", "mse",
                                                   "l1"};
        std::set<std::string> ids;
        for (const LossInfo& info : allLosses()) {
            QVERIFY2(ids.insert(info.id).second, info.id.c_str());
            QVERIFY(!info.displayName.empty() && !info.description.empty());
            QCOMPARE(findLoss(info.id), &info);
            QVERIFY(createLoss(info.id) != nullptr);
        }
        for (const std::string& id : expected) QVERIFY2(ids.count(id), id.c_str());
        QVERIFY(findLoss("cross_entropy")->classLabels);
        QVERIFY(findLoss("bce")->probabilities);
        QVERIFY(!findLoss("mse")->classLabels && !findLoss("mse")->probabilities);
        QCOMPARE(findLoss("hinge"), nullptr);
        const QString msg = errorOf([] { createLoss("hinge"); });
        QVERIFY(msg.contains("hinge"));
        for (const std::string& id : expected) QVERIFY2(msg.contains(id.c_str()), qPrintable(msg));
    }

    void crossEntropyValues() {
        auto loss = createLoss("cross_entropy");
        const Tensor out = makeTensor({2, 3}, {1, 2, 3, 1, 1, 1});
        Tensor grad;
        for (const Tensor& labels : {makeTensor({2}, {2, 0}), makeTensor({2, 1}, {2, 0})}) {
            const float value = loss->compute(out, labels, grad);
            // log(e + e² + e³) − 3 = 0.4076059..., log 3 = 1.0986122...
            const double l0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
            QVERIFY(close(l0, 0.40760596, 1e-7));
            QVERIFY(close(value, (l0 + std::log(3.0)) / 2, 1e-6));
            QCOMPARE(grad.dims(), out.dims());
            const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
            const double expected[6] = {std::exp(1.0) / z / 2,
                                        std::exp(2.0) / z / 2,
                                        (std::exp(3.0) / z - 1) / 2,
                                        (1.0 / 3 - 1) / 2,
                                        1.0 / 6,
                                        1.0 / 6};
            for (int i = 0; i < 6; ++i) QVERIFY(close(grad[i], expected[i], 1e-6));
        }
    }

    void bceWithLogitsValues() {
        auto loss = createLoss("bce_logits");
        const std::vector<double> x = {0, 2, -3, 0.5}, y = {1, 0, 0.5, 0.25};
        Tensor grad;
        const float value = loss->compute(makeTensor({2, 2}, x), makeTensor({4}, y), grad);
        double expected = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const double s = 1 / (1 + std::exp(-x[i]));
            expected += -(y[i] * std::log(s) + (1 - y[i]) * std::log(1 - s)) / 4;
            QVERIFY(close(grad[int64_t(i)], (s - y[i]) / 4, 1e-6));
        }
        QVERIFY(close(value, expected, 1e-6));
        QVERIFY(close(expected, (std::log(2.0) + 2.1269280 + 1.5485874 + 0.8490770) / 4, 1e-6));
    }

    void bceValues() {
        auto loss = createLoss("bce");
        const std::vector<double> p = {0.5, 0.9, 0.2}, y = {1, 0, 0.25};
        Tensor grad;
        const float value = loss->compute(makeTensor({3, 1}, p), makeTensor({3, 1}, y), grad);
        double expected = 0;
        for (size_t i = 0; i < p.size(); ++i) {
            expected += -(y[i] * std::log(p[i]) + (1 - y[i]) * std::log(1 - p[i])) / 3;
            const double dLdp = -y[i] / p[i] + (1 - y[i]) / (1 - p[i]);
            QVERIFY(close(grad[int64_t(i)], dLdp / 3, 1e-5));
        }
        QVERIFY(close(value, expected, 1e-6));

        // Saturated probabilities: each log is clamped at −100, as in PyTorch.
        const float sat = loss->compute(makeTensor({2}, {0, 1}), makeTensor({2}, {1, 1}), grad);
        QVERIFY(close(sat, 50.0, 1e-6));
        QVERIFY(std::isfinite(grad[0]) && grad[0] < 0);
        QCOMPARE(grad[1], 0.0f);
    }

    void mseAndL1Values() {
        const Tensor x = makeTensor({3}, {1, 2, 3}), y = makeTensor({3}, {0, 2, 5});
        Tensor grad;
        QVERIFY(close(createLoss("mse")->compute(x, y, grad), 5.0 / 3, 1e-6));
        QVERIFY(close(grad[0], 2.0 / 3, 1e-6) && grad[1] == 0 && close(grad[2], -4.0 / 3, 1e-6));
        QVERIFY(close(createLoss("l1")->compute(x, y, grad), 1.0, 1e-6));
        QVERIFY(close(grad[0], 1.0 / 3, 1e-6) && grad[1] == 0 && close(grad[2], -1.0 / 3, 1e-6));
    }

    void gradientsMatchFiniteDifferences_data() {
        QTest::addColumn<QString>("id");
        for (const LossInfo& info : allLosses()) QTest::newRow(info.id.c_str()) << info.id.c_str();
    }
    void gradientsMatchFiniteDifferences() {
        QFETCH(QString, id);
        const LossInfo& info = *findLoss(id.toStdString());
        auto loss = createLoss(info.id);
        std::mt19937 gen(1234);
        for (int trial = 0; trial < 3; ++trial) {
            Tensor out, target, grad, scratch;
            makeExample(info, gen, out, target);
            loss->compute(out, target, grad);
            const double h = 1e-2;
            for (int64_t i = 0; i < out.size(); ++i) {
                Tensor plus = out, minus = out;
                plus[i] += float(h);
                minus[i] -= float(h);
                const double numeric = (double(loss->compute(plus, target, scratch)) -
                                        double(loss->compute(minus, target, scratch))) /
                                       (double(plus[i]) - double(minus[i]));
                QVERIFY2(std::fabs(numeric - grad[i]) <= 2e-4 + 1e-2 * std::fabs(numeric),
                         qPrintable(QString("%1: d/dx[%2] analytic %3, numeric %4")
                                        .arg(id)
                                        .arg(i)
                                        .arg(grad[i])
                                        .arg(numeric)));
            }
        }
    }

    void finiteOnExtremeOutputs_data() { gradientsMatchFiniteDifferences_data(); }
    void finiteOnExtremeOutputs() {
        QFETCH(QString, id);
        const LossInfo& info = *findLoss(id.toStdString());
        // Logits of ±1000 overflow a naive exp(); probabilities are pinned at exactly 0 and 1.
        const std::vector<double> logits = {1000, -1000, 0, 999, -1000, 1000, -999, 1000};
        std::vector<double> values = logits;
        if (info.probabilities)
            for (double& v : values) v = v > 0 ? 1.0 : 0.0;
        const Tensor out = makeTensor({2, 4}, values);
        const Tensor target = info.classLabels ? makeTensor({2}, {1, 3})
                                               : makeTensor({2, 4}, {0, 1, 0.5, 1, 1, 0, 0, 1});
        Tensor grad;
        const float value = createLoss(info.id)->compute(out, target, grad);
        QVERIFY2(std::isfinite(value), qPrintable(QString::number(value)));
        for (int64_t i = 0; i < grad.size(); ++i)
            QVERIFY2(std::isfinite(grad[i]),
                     qPrintable(QString("grad[%1] = %2").arg(i).arg(grad[i])));
    }

    void extremeLogitValues() {
        Tensor grad;
        auto ce = createLoss("cross_entropy");
        const Tensor out = makeTensor({2, 2}, {1000, -1000, 1000, -1000});
        QVERIFY(close(ce->compute(out, makeTensor({2}, {0, 1}), grad), 1000.0, 1e-6));
        QVERIFY(close(grad[2], 0.5, 1e-6) && close(grad[3], -0.5, 1e-6));
        QCOMPARE(grad[0], 0.0f);

        auto bce = createLoss("bce_logits");
        QVERIFY(close(bce->compute(makeTensor({2}, {1000, -1000}), makeTensor({2}, {0, 1}), grad),
                      1000.0, 1e-6));
        QVERIFY(close(grad[0], 0.5, 1e-6) && close(grad[1], -0.5, 1e-6));
    }

    void rejectsBadLabels_data() {
        QTest::addColumn<double>("label");
        QTest::addColumn<QString>("shown");
        QTest::newRow("negative") << -1.0 << "-1";
        QTest::newRow("too large") << 3.0 << "3";
        QTest::newRow("fraction") << 2.5 << "2.5";
        QTest::newRow("nan") << std::nan("") << "nan";
    }
    void rejectsBadLabels() {
        QFETCH(double, label);
        QFETCH(QString, shown);
        const Tensor out = makeTensor({3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
        Tensor grad;
        const QString msg = errorOf([&] {
            createLoss("cross_entropy")->compute(out, makeTensor({3}, {0, label, 1}), grad);
        });
        QVERIFY2(msg.contains("sample 1") && msg.contains("label " + shown), qPrintable(msg));
    }

    void rejectsMismatchedShapes_data() { gradientsMatchFiniteDifferences_data(); }
    void rejectsMismatchedShapes() {
        QFETCH(QString, id);
        const LossInfo& info = *findLoss(id.toStdString());
        const Tensor out = makeTensor({2, 3}, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        const Tensor target =
            info.classLabels ? makeTensor({3}, {0, 1, 2}) : makeTensor({5}, {0, 0, 1, 1, 0});
        Tensor grad;
        const QString msg = errorOf([&] { createLoss(info.id)->compute(out, target, grad); });
        QVERIFY2(msg.contains(QString::fromUtf8("2×3")), qPrintable(msg));
        QVERIFY2(msg.contains(info.classLabels ? "3" : "5"), qPrintable(msg));

        // An empty batch is an error too, not a division by zero.
        const Tensor empty({0, 3});
        const Tensor emptyTarget(info.classLabels ? std::vector<int64_t>{0}
                                                  : std::vector<int64_t>{0, 3});
        QVERIFY(
            !errorOf([&] { createLoss(info.id)->compute(empty, emptyTarget, grad); }).isEmpty());
    }

    void crossEntropyNeedsClassAxis() {
        Tensor grad;
        const QString msg = errorOf([&] {
            createLoss("cross_entropy")
                ->compute(makeTensor({3}, {1, 2, 3}), makeTensor({3}, {0, 1, 2}), grad);
        });
        QVERIFY2(msg.contains("classes"), qPrintable(msg));
    }

    void bceRejectsNonProbabilities() {
        Tensor grad;
        const QString msg = errorOf([&] {
            createLoss("bce")->compute(makeTensor({3}, {0.5, 0.2, 1.5}), makeTensor({3}, {1, 0, 1}),
                                       grad);
        });
        QVERIFY2(msg.contains("value 2") && msg.contains("1.5") && msg.contains("Sigmoid"),
                 qPrintable(msg));
    }

    void reusesTheGradientBuffer_data() { gradientsMatchFiniteDifferences_data(); }
    void reusesTheGradientBuffer() {
        QFETCH(QString, id);
        const LossInfo& info = *findLoss(id.toStdString());
        std::mt19937 gen(5);
        Tensor out, target, grad;
        makeExample(info, gen, out, target);
        auto loss = createLoss(info.id);
        const float first = loss->compute(out, target, grad);
        const std::vector<float> firstGrad(grad.data(), grad.data() + grad.size());
        const float* buffer = grad.data();
        QCOMPARE(loss->compute(out, target, grad), first);  // no state leaks between calls
        QCOMPARE(grad.data(), buffer);
        QCOMPARE(std::vector<float>(grad.data(), grad.data() + grad.size()), firstGrad);
    }
};

QTEST_GUILESS_MAIN(TestLosses)
#include "test_losses.moc"
