// The trainer on real Fashion-MNIST data: it learns, it is reproducible, it can be paused and
// stopped from another thread within one batch, and divergence stops it with a clear error.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <thread>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/project/project.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/best_epoch.h"
#include "engine/train/trainer.h"
#include "support/same_weights.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::sameWeights;
using netloom::test::sampleFile;

namespace {

Project sample(const std::string& name) {
    return loadProject(sampleFile(name));
}

TrainingConfig smallRun(const Project& p, int64_t limitTrain, int64_t limitTest) {
    TrainingConfig c = p.training;
    c.epochs = 1;
    c.dataset.limitTrain = limitTrain;
    c.dataset.limitTest = limitTest;
    return c;
}

struct Recorder {
    std::vector<RunEvent> events;
    void operator()(const RunEvent& e) { events.push_back(e); }
    int count(RunEvent::Kind k) const {
        int n = 0;
        for (const auto& e : events) n += e.kind == k;
        return n;
    }
};

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    // The foundation issue's learning test: fashion-mlp, 10k training samples, one epoch.
    // After only 156 steps the accuracy depends on the seed: PyTorch itself lands between 0.774
    // and 0.801 over seeds 0-11 (median 0.786), and so do we (test_pytorch_parity shows the
    // steps are the same). A fixed seed keeps this test deterministic.
    void mlpLearnsFashionMnist() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig config = smallRun(p, 10000, 10000);
        config.seed = 4;
        Trainer trainer = trainerFor(p.model().graph, config);
        Recorder rec;
        RunRecord r = trainer.run(std::ref(rec));
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QCOMPARE(rec.count(RunEvent::Kind::Epoch), 1);
        QCOMPARE(rec.count(RunEvent::Kind::Step), 10000 / 64);
        QVERIFY2(r.testAccuracy >= 0.78, qPrintable(QString::number(r.testAccuracy)));
        QCOMPARE(r.epochs.size(), size_t(1));
        // The first batches start near chance (log 10 ≈ 2.30) and the loss falls.
        QVERIFY(rec.events[1].loss() > 1.5);
        QVERIFY(r.epochs[0].trainLoss < 1.0);
        // The confusion matrix counts every test sample once.
        const EvalResult& val = rec.events.back().kind == RunEvent::Kind::Finished
                                    ? rec.events.back().test
                                    : EvalResult{};
        int64_t total = 0;
        for (int64_t c : val.confusion) total += c;
        QCOMPARE(total, int64_t(10000));
        QVERIFY(!trainer.weights().empty());
    }

    // Early stopping: 3,000 training samples overfit within a few epochs; the run stops once
    // `patience` epochs have not lowered the validation loss and keeps the best epoch's weights,
    // which the test set then evaluates.
    void earlyStoppingKeepsTheBestEpoch() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 3000, 1000);
        c.epochs = 30;
        c.validationSplit = 0.2;
        const int64_t patience = 2;
        c.earlyStopping = patience;
        Trainer trainer = trainerFor(p.model().graph, c);
        Recorder rec;
        RunRecord r = trainer.run(std::ref(rec));
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        std::vector<const RunEvent*> epochs;
        for (const auto& e : rec.events)
            if (e.kind == RunEvent::Kind::Epoch) epochs.push_back(&e);
        QVERIFY2(epochs.size() < 30, "3,000 samples should overfit long before 30 epochs");
        size_t best = 0;
        for (size_t i = 1; i < epochs.size(); ++i)
            if (epochs[i]->validation.loss < epochs[best]->validation.loss) best = i;
        // Stopped exactly `patience` epochs after the best one.
        QCOMPARE(int64_t(epochs.size() - 1 - best), patience);
        QCOMPARE(r.epochs.size(), epochs.size());
        QVERIFY(sameWeights(trainer.weights(), *epochs[best]->weightsOf("model")));
        QVERIFY(!sameWeights(trainer.weights(), *epochs.back()->weightsOf("model")));
        const RunEvent& finished = rec.events.back();
        QCOMPARE(finished.kind, RunEvent::Kind::Finished);
        const QString note = QString::fromStdString(finished.message);
        QVERIFY2(note.contains(QString("epoch %1 ").arg(best + 1)), qPrintable(note));
        QVERIFY2(note.contains("stopped early"), qPrintable(note));
        QCOMPARE(r.message, finished.message);  // saved with the run
        QVERIFY(r.testAccuracy > 0.7);
        // Without early stopping the same run goes on past that point.
        c.earlyStopping = 0;
        c.epochs = int64_t(epochs.size()) + 1;
        Trainer all = trainerFor(p.model().graph, c);
        Recorder allRec;
        all.run(std::ref(allRec));
        QCOMPARE(allRec.count(RunEvent::Kind::Epoch), int(epochs.size()) + 1);
    }

    void bestEpochIgnoresNaN() {
        auto w = std::make_shared<const WeightSet>();
        BestEpoch b;
        b.offer(1, std::nan(""), w);
        QCOMPARE(b.epoch, int64_t(1));  // something is kept even if the first loss is NaN
        b.offer(2, 0.5, w);
        QCOMPARE(b.epoch, int64_t(2));
        b.offer(3, std::nan(""), w);
        b.offer(4, 0.5, w);  // equal is not better
        QCOMPARE(b.epoch, int64_t(2));
        b.offer(5, 0.4, w);
        QCOMPARE(b.epoch, int64_t(5));
    }

    void sameSeedSameRun() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 640, 200);
        Recorder a, b;
        trainerFor(p.model().graph, c).run(std::ref(a));
        trainerFor(p.model().graph, c).run(std::ref(b));
        QCOMPARE(a.events.size(), b.events.size());
        for (size_t i = 0; i < a.events.size(); ++i)
            QCOMPARE(a.events[i].loss(), b.events[i].loss());
        c.seed = 2;
        Recorder d;
        trainerFor(p.model().graph, c).run(std::ref(d));
        QVERIFY(d.events[1].loss() != a.events[1].loss());
    }

    void continuesFromGivenWeights() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 3200, 1000);
        Trainer first = trainerFor(p.model().graph, c);
        RunRecord r1 = first.run([](const RunEvent&) {});
        Recorder rec;
        Trainer second = trainerFor(p.model().graph, c, first.weights());
        second.run(std::ref(rec));
        // A fresh network starts near log(10); a trained one well below it.
        QVERIFY2(rec.events[1].loss() < 1.2, qPrintable(QString::number(rec.events[1].loss())));
        QVERIFY(r1.testAccuracy > 0.5);
    }

    // After edits the run continues: layers whose trained weights still fit load them, layers
    // added or changed start fresh, and the Started event names the fresh ones.
    void continuesAfterEditsWithFreshChangedLayers() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 640, 200);
        Trainer first = trainerFor(p.model().graph, c);
        first.run([](const RunEvent&) {});
        const WeightSet trained = first.weights();

        Graph edited = p.model().graph;
        edited.findNode("n5")->params.set("units", int64_t{96});  // fc2: 128 -> 96 units
        ComputeContext ctx(7);
        Model model(edited, ctx);
        model.initialize(7, parseInitScheme("default"));
        // fc2's weight changed shape, and so did fc3's (its input is fc2's output).
        const std::vector<std::string> fresh = model.loadFittingWeights(trained);
        QCOMPARE(fresh, (std::vector<std::string>{"fc2", "fc3"}));
        const WeightSet loaded = model.weights();
        QCOMPARE(loaded.at("n3").at("weight").storage(), trained.at("n3").at("weight").storage());
        QCOMPARE(loaded.at("n5").at("weight").dims(), (std::vector<int64_t>{96, 256}));

        Recorder rec;
        Trainer second = trainerFor(edited, c, trained);
        second.run(std::ref(rec));
        QCOMPARE(rec.events.front().kind, RunEvent::Kind::Started);
        const QString note = QString::fromStdString(rec.events.front().message);
        QVERIFY2(note.startsWith("fc2 and fc3 start from fresh weights"), qPrintable(note));
        QCOMPARE(rec.count(RunEvent::Kind::Finished), 1);
        // Unchanged graph: nothing starts fresh.
        Recorder same;
        trainerFor(p.model().graph, c, trained).run(std::ref(same));
        QVERIFY(same.events.front().message.empty());
    }

    void pauseHoldsAndStopKeepsWeights() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 60000, 500);
        c.epochs = 3;
        Trainer trainer = trainerFor(p.model().graph, c);
        std::atomic<int64_t> lastStep{0};
        std::atomic<bool> pausedSeen{false};
        std::thread worker([&] {
            trainer.run([&](const RunEvent& e) {
                if (e.kind == RunEvent::Kind::Step) {
                    lastStep = e.step;
                    if (trainer.isPaused()) pausedSeen = true;
                }
            });
        });
        while (lastStep.load() < 5) std::this_thread::yield();
        trainer.pause();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const int64_t atPause = lastStep.load();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        // At most the batch in flight completes after pause().
        QVERIFY(lastStep.load() <= atPause + 1);
        trainer.resume();
        while (lastStep.load() < atPause + 5) std::this_thread::yield();
        trainer.stop();
        worker.join();
        QVERIFY(lastStep.load() < 3 * 937);
        QVERIFY(!trainer.weights().empty());
    }

    void divergenceStopsWithClearError() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 6400, 200);
        c.optimizer.type = "sgd";
        c.optimizer.lr = 1e9;
        Trainer trainer = trainerFor(p.model().graph, c);
        Recorder rec;
        RunRecord r = trainer.run(std::ref(rec));
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
        QVERIFY2(r.message.find("epoch 1, batch") != std::string::npos, r.message.c_str());
        QVERIFY(r.message.find("learning rate") != std::string::npos);
        QVERIFY(trainer.weights().empty());
        QCOMPARE(rec.events.back().kind, RunEvent::Kind::Failed);
    }

    // The GUI's way: a NaN pauses the run, rolled back to the epoch's start; with a sane learning
    // rate the resumed run starts the epoch over and finishes with finite weights.
    void nonFiniteLossPausesAndRollsBack() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 1280, 200);
        c.epochs = 2;
        c.optimizer.type = "sgd";
        c.optimizer.lr = 0.05;
        Trainer trainer = trainerFor(p.model().graph, c);
        trainer.setPauseOnNonFinite(true);
        std::vector<RunEvent> events;
        int pauses = 0;
        // Sane in epoch 1; blows up in epoch 2; sane again after the pause.
        RunRecord r = trainer.run([&](const RunEvent& e) {
            events.push_back(e);
            if (e.kind == RunEvent::Kind::Epoch && e.epoch == 1) trainer.setLearningRate(1e30);
            if (e.kind == RunEvent::Kind::Paused) {
                ++pauses;
                QVERIFY(trainer.isPaused());
                trainer.setLearningRate(0.05);
                trainer.resume();
            }
        });
        QCOMPARE(pauses, 1);
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        auto paused = std::find_if(events.begin(), events.end(), [](const RunEvent& e) {
            return e.kind == RunEvent::Kind::Paused;
        });
        QVERIFY(paused != events.end());
        QCOMPARE(paused->epoch, int64_t(2));
        QVERIFY2(paused->message.find("epoch 2, batch") != std::string::npos &&
                     paused->message.find("rolled back") != std::string::npos &&
                     paused->message.find("learning rate") != std::string::npos,
                 paused->message.c_str());
        // After the pause the epoch starts over: its batches run 1..n once more.
        QCOMPARE((paused + 1)->kind, RunEvent::Kind::Step);
        QCOMPARE((paused + 1)->stepInEpoch, int64_t(1));
        QCOMPARE(r.epochs.size(), size_t(2));
        QVERIFY(std::isfinite(r.epochs[1].trainLoss));
        QVERIFY2(r.testAccuracy > 0.3, qPrintable(QString::number(r.testAccuracy)));  // chance: 0.1
        const WeightSet w = trainer.weights();
        QVERIFY(!w.empty());
        for (const auto& [node, tensors] : w)
            for (const auto& [name, tensor] : tensors)
                for (int64_t i = 0; i < tensor.size(); ++i) QVERIFY(std::isfinite(tensor[i]));
    }

    void graphThatDoesNotFitTheDataIsRefused_data() {
        QTest::addColumn<QString>("nodeName");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong class count") << "fc3"
                                           << "units"
                                           << "7"
                                           << "10 classes";
        QTest::newRow("wrong input shape") << "image"
                                           << "shape"
                                           << "3,32,32"
                                           << "set its shape";
    }
    void graphThatDoesNotFitTheDataIsRefused() {
        QFETCH(QString, nodeName);
        QFETCH(QString, param);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        Project p = sample("fashion-mlp.netloom");
        Graph g = p.model().graph;
        const Node* n = g.findNodeByName(nodeName.toStdString());
        QVERIFY(n);
        Node* node = g.findNode(n->id);
        if (param == "units")
            node->params.set("units", int64_t(value.toLongLong()));
        else
            node->params.set(param.toStdString(), value.toStdString());
        Trainer trainer = trainerFor(g, smallRun(p, 640, 100));
        RunRecord r = trainer.run([](const RunEvent&) {});
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
        QVERIFY2(QString::fromStdString(r.message).contains(expected), r.message.c_str());
    }

    void absurdSettingsAreRefused() {
        Project p = sample("fashion-mlp.netloom");
        TrainingConfig c = smallRun(p, 640, 100);
        c.batchSize = 0;
        RunRecord r = trainerFor(p.model().graph, c).run([](const RunEvent&) {});
        QVERIFY2(
            r.message.find("training.batch_size must be between 1 and 65536") != std::string::npos,
            r.message.c_str());
        c = smallRun(p, 640, 100);
        c.optimizer.lr = -1;
        r = trainerFor(p.model().graph, c).run([](const RunEvent&) {});
        QCOMPARE(QString::fromStdString(r.status), QString("failed"));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
