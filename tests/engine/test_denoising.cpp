// Denoising autoencoders: TrainingConfig::inputNoise adds seeded Gaussian noise to the training
// inputs of the reconstruction task only, never to the loss target and never to evaluation.
#include <QtTest>

#include <cmath>
#include <memory>

#include "engine/core/error.h"
#include "engine/data/transforms/input_noise.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/evaluator.h"
#include "engine/train/trainer.h"
#include "support/test_support.h"

using namespace netloom::engine;

namespace {

constexpr int64_t kTrain = 1280, kTest = 300;  // small: the suite also runs under ASan

TrainingConfig smallRun(const Project& p, double noise) {
    TrainingConfig c = p.training;
    c.epochs = 1;
    c.dataset.limitTrain = kTrain;
    c.dataset.limitTest = kTest;
    c.inputNoise = noise;
    return c;
}

// The first kTrain training and kTest test images, loaded once for every run of this suite.
std::shared_ptr<const DataSplit> data() {
    static const auto split = [] {
        DatasetConfig dc;
        dc.limitTrain = kTrain;
        dc.limitTest = kTest;
        return std::make_shared<const DataSplit>(loadData(dc, 0.0, 1));
    }();
    return split;
}

struct Run {
    RunRecord record;
    std::vector<double> batchLosses;
};

Run train(const Graph& g, const TrainingConfig& c) {
    Run r;
    Trainer trainer = trainerFor(g, c);
    trainer.setData(data());
    r.record = trainer.run([&](const RunEvent& e) {
        if (e.kind == RunEvent::Kind::Step) r.batchLosses.push_back(e.loss());
    });
    return r;
}

// Input 1×28×28 → Flatten: the output is the network's input itself, with nothing to learn.
Graph identityNetwork() {
    Graph g;
    Node in{"n1", "Input", "image", {}};
    in.params.set("shape", std::string("1,28,28"));
    g.addNode(in);
    g.addNode({"n2", "Flatten", "flatten", {}});
    g.connect({"n1", 0, "n2", 0});
    return g;
}

}  // namespace

class TestDenoising : public QObject {
    Q_OBJECT
private slots:
    void noiseIsSeededAndLeavesTheBatchAlone() {
        Tensor x({64, 1, 28, 28});
        for (int64_t i = 0; i < x.size(); ++i) x[i] = float(i % 256) / 255.0f;
        const Tensor clean = x;
        InputNoise a(TargetKind::Reconstruction, 0.3, 99), b(TargetKind::Reconstruction, 0.3, 99);
        QVERIFY(a.active());
        const Tensor& na = a.apply(x);
        QVERIFY(&na != &x);
        QCOMPARE(na.dims(), x.dims());
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < x.size(); ++i) {
            const double d = double(na[i]) - x[i];
            sum += d;
            sq += d * d;
        }
        const double n = double(x.size()), mean = sum / n, sd = std::sqrt(sq / n - mean * mean);
        QVERIFY2(std::abs(mean) < 0.01, qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(sd - 0.3) < 0.01, qPrintable(QString::number(sd)));
        for (int64_t i = 0; i < x.size(); ++i) QCOMPARE(x[i], clean[i]);  // input untouched
        // The same seed draws the same noise; the next batch draws new noise.
        const Tensor first = na;
        const Tensor& nb = b.apply(x);
        for (int64_t i = 0; i < x.size(); ++i) QCOMPARE(nb[i], first[i]);
        const Tensor& second = a.apply(x);
        int64_t same = 0;
        for (int64_t i = 0; i < x.size(); ++i) same += second[i] == first[i];
        QVERIFY(same < x.size() / 100);
    }

    void offMeansTheSameBatch_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<double>("noise");
        QTest::newRow("reconstruction, 0") << "reconstruction" << 0.0;
        QTest::newRow("classification, 0.5") << "classification" << 0.5;
        QTest::newRow("regression, 0.5") << "regression" << 0.5;
    }
    void offMeansTheSameBatch() {
        QFETCH(QString, task);
        QFETCH(double, noise);
        InputNoise off(taskById(task.toStdString()).target(), noise, 1);
        QVERIFY(!off.active());
        Tensor x({2, 3});
        x.fill(0.5f);
        QCOMPARE(&off.apply(x), &x);
    }

    void outOfRangeIsRefused_data() {
        QTest::addColumn<double>("noise");
        QTest::newRow("negative") << -0.1;
        QTest::newRow("above 1") << 1.5;
        QTest::newRow("NaN") << std::nan("");
    }
    void outOfRangeIsRefused() {
        QFETCH(double, noise);
        try {
            InputNoise bad(TargetKind::Reconstruction, noise, 1);
            QFAIL("no error");
        } catch (const netloom::Error& e) {
            QVERIFY2(QString(e.what()).contains("input noise must be between 0 and 1"), e.what());
        }
        // The trainer reports it as a failed run, not a crash.
        Project p = loadProject(netloom::test::sampleFile("fashion-autoencoder.netloom"));
        const Run r = train(p.model().graph, smallRun(p, noise));
        QCOMPARE(QString::fromStdString(r.record.status), QString("failed"));
        QVERIFY2(r.record.message.find("training.input_noise must be between 0 and 1") !=
                     std::string::npos,
                 r.record.message.c_str());
    }

    // With a network that outputs its input, MSE against the clean input is exactly the noise
    // power: σ² in training (the network saw x + noise, the target is x) and 0 in evaluation
    // (clean inputs). Noise on the target as well would give 0 in training. The same seed
    // draws the same noise, another seed other noise.
    void targetStaysClean() {
        Project p = loadProject(netloom::test::sampleFile("fashion-autoencoder.netloom"));
        TrainingConfig c = smallRun(p, 0.5);
        c.loss = "mse";
        const Run r = train(identityNetwork(), c);
        QCOMPARE(QString::fromStdString(r.record.status), QString("finished"));
        QCOMPARE(r.batchLosses.size(), size_t(kTrain / 64));
        for (double l : r.batchLosses)
            QVERIFY2(std::abs(l - 0.25) < 0.01, qPrintable(QString::number(l)));
        QCOMPARE(r.record.epochs[0].valLoss, 0.0);
        QCOMPARE(r.record.testLoss, 0.0);
        QCOMPARE(train(identityNetwork(), c).batchLosses, r.batchLosses);
        c.seed = 2;
        QVERIFY(train(identityNetwork(), c).batchLosses != r.batchLosses);
        c.inputNoise = 0.0;
        const Run clean = train(identityNetwork(), c);
        for (double l : clean.batchLosses) QCOMPARE(l, 0.0);
    }

    // The MLP autoencoder sample: a noisy run differs from a clean one and still learns to
    // reconstruct (clean test inputs) far better than at the start.
    void denoisingAutoencoderLearns() {
        Project p = loadProject(netloom::test::sampleFile("fashion-autoencoder.netloom"));
        TrainingConfig c = smallRun(p, 0.0);
        c.epochs = 3;  // 60 steps: the BCE falls from about 0.69 to about 0.38
        const Run clean = train(p.model().graph, c);
        c.inputNoise = 0.3;
        const Run noisy = train(p.model().graph, c);
        for (const Run* r : {&clean, &noisy})
            QCOMPARE(QString::fromStdString(r->record.status), QString("finished"));
        QVERIFY(noisy.batchLosses != clean.batchLosses);
        QVERIFY(noisy.record.testLoss != clean.record.testLoss);
        const double start = noisy.batchLosses.front();
        QVERIFY2(
            noisy.record.testLoss < 0.75 * start,
            qPrintable(QString("test %1, first batch %2").arg(noisy.record.testLoss).arg(start)));
        // Denoising is a harder task, but not a different one: the clean reconstruction error
        // stays close to the clean run's.
        QVERIFY2(noisy.record.testLoss < 1.2 * clean.record.testLoss,
                 qPrintable(QString("noisy %1, clean %2")
                                .arg(noisy.record.testLoss)
                                .arg(clean.record.testLoss)));
    }
};

QTEST_GUILESS_MAIN(TestDenoising)
#include "test_denoising.moc"
