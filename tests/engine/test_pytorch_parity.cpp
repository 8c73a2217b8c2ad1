// End-to-end parity with PyTorch: the reference networks (and the convolutional autoencoder, with
// Conv2DTranspose and BCE against the input), deterministic weights, the same ten batches and
// Adam must give the same loss at every step as PyTorch 1.13 does. The expected numbers come
// from tests/data/pytorch_parity.py (see its docstring to regenerate them).
#include <QtTest>

#include <cmath>
#include <numeric>

#include "engine/data/dataset.h"
#include "engine/io/project_io.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"
#include "engine/train/evaluator.h"
#include "support/test_support.h"

using namespace netloom::engine;

namespace {

// Layer k (1-based over layers with weights, in order): w = sin(0.731 i + k)/sqrt(fan_in),
// b = 0.1 cos(i + k) — the same formula as the Python script.
void fillDeterministic(Model& model) {
    int k = 0;
    std::vector<Parameter*> params = model.parameters();
    for (size_t p = 0; p < params.size(); ++p) {
        Parameter& w = *params[p];
        if (w.name != "weight") continue;
        ++k;
        const int64_t fanIn = w.value.size() / w.value.dim(0);
        for (int64_t i = 0; i < w.value.size(); ++i)
            w.value[i] = static_cast<float>(std::sin(0.731 * static_cast<double>(i) + k) /
                                            std::sqrt(static_cast<double>(fanIn)));
        Parameter& b = *params[p + 1];
        QCOMPARE(QString::fromStdString(b.name), QString("bias"));
        for (int64_t i = 0; i < b.value.size(); ++i)
            b.value[i] = static_cast<float>(0.1 * std::cos(static_cast<double>(i) + k));
    }
}

}  // namespace

class TestPytorchParity : public QObject {
    Q_OBJECT
private slots:
    void sameLossesAsPytorch_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("fashion-mlp")
            << "fashion-mlp.netloom"
            << QList<double>{2.303032, 2.316727, 2.301716, 2.248429, 2.199613,
                             2.103838, 2.016989, 1.969337, 1.926832, 1.770348};
        QTest::newRow("fashion-cnn")
            << "fashion-cnn.netloom"
            << QList<double>{2.316769, 2.272633, 2.069499, 2.206260, 2.058194,
                             1.986164, 1.910403, 1.999210, 1.970313, 1.759870};
        QTest::newRow("fashion-conv-autoencoder")
            << "fashion-conv-autoencoder.netloom"
            << QList<double>{0.715256, 0.715825, 0.712704, 0.710014, 0.708829,
                             0.711522, 0.709239, 0.704136, 0.701474, 0.695468};
    }
    void sameLossesAsPytorch() {
        QFETCH(QString, sample);
        QFETCH(QList<double>, expected);
        Project project = loadProject(netloom::test::sampleFile(sample.toStdString()));
        DatasetConfig dc;
        dc.limitTrain = 640;
        dc.limitTest = 10;
        DataSplit data = loadData(dc, 0.0, 1);
        ComputeContext ctx;
        Model model(project.model().graph, ctx);
        fillDeterministic(model);
        auto loss = createLoss(project.training.loss);
        const TargetKind kind = taskFor(project.training).target();
        auto optimizer = createOptimizer(OptimizerConfig().withLr(1e-3));
        std::vector<Parameter*> params = model.parameters();
        std::vector<int64_t> order(640);
        std::iota(order.begin(), order.end(), 0);
        Tensor x, y, grad;
        for (int step = 0; step < expected.size(); ++step) {
            data.train.fillBatch(order.data() + step * 64, 64, x, &y);
            const double l = loss->compute(model.forward(x, true), lossTarget(kind, x, y), grad);
            QVERIFY2(std::fabs(l - expected[step]) < 2e-4,
                     qPrintable(QString("step %1: loss %2, PyTorch %3")
                                    .arg(step)
                                    .arg(l, 0, 'f', 6)
                                    .arg(expected[step], 0, 'f', 6)));
            model.backward(grad);
            optimizer->step(params);
        }
    }
};

QTEST_GUILESS_MAIN(TestPytorchParity)
#include "test_pytorch_parity.moc"
