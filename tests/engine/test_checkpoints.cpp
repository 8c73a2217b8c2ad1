// Checkpoints (engine/train/checkpoint_hook.h, engine/io/checkpoint_store.h, RunOptions::
// resumeFrom, `netloom train --resume`): a run resumed from a checkpoint ends with exactly the
// weights of the run that was never interrupted, also when the process was killed with SIGKILL
// in the middle of an epoch; keep-best keeps the best epoch; the count on disk stays bounded;
// a checkpoint of another network is refused with the layer and the shapes named.
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QThread>
#include <QtTest>

#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "engine/io/checkpoint_store.h"
#include "engine/io/project_io.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/checkpoint_hook.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::sampleFile;
using netloom::test::tempDir;

namespace {

// fashion-mlp, one thread (deterministic), a cosine schedule, checkpoints every epoch.
Project smallProject(int64_t limitTrain = 640) {
    Project p = loadProject(sampleFile("fashion-mlp.netloom"));
    p.history.clear();
    p.model().weights.clear();
    TrainingConfig& c = p.training;
    c.epochs = 4;
    c.threads = 1;
    c.dataset.limitTrain = limitTrain;
    c.dataset.limitTest = 200;
    c.schedule.type = "cosine";
    c.checkpoints.every = 1;
    return p;
}

// smallProject with a Dropout (rate 0.3) after fc1's ReLU and augmentation: random crop
// (padding 2), horizontal flip and random erasing. Every random draw of a run is then in play:
// the shuffle, the dropout masks and three transforms' generators.
Project augmentedProject(int64_t limitTrain = 640) {
    Project p = smallProject(limitTrain);
    Graph& g = p.model().graph;
    const Node* fc1 = g.findNodeByName("fc1");
    const Edge relu = g.outputsOf(fc1->id).front();  // fc1 → its ReLU
    const Edge next = g.outputsOf(relu.to).front();  // that ReLU → fc2
    Node drop{g.makeId(), "Dropout", "dropout", {}};
    drop.params.set("rate", 0.3);
    g.addNode(drop);
    g.disconnect(next);
    g.connect({next.from, next.fromPort, drop.id, 0});
    g.connect({drop.id, 0, next.to, next.toPort});
    AugmentationConfig& a = p.training.augmentation;
    a.cropPadding = 2;
    a.flip = true;
    a.erasing = 0.5;
    return p;
}

struct Outcome {
    RunRecord record;
    WeightSet weights;
    std::vector<RunEvent> epochs;
};

// Runs the project's recipe in this process, with checkpoints into `store` when given.
Outcome run(const Project& p, CheckpointStore* store,
            std::shared_ptr<const Checkpoint> resume = nullptr) {
    std::unique_ptr<TrainingRecipe> recipe = taskFor(p.training).makeRecipe(recipeInputsFor(p));
    std::vector<std::shared_ptr<RunHook>> hooks = hooksFromSettings(*recipe);
    if (store)
        hooks.push_back(std::make_shared<CheckpointHook>(
            p.training.checkpoints, [store](const Checkpoint& c) { store->save(c); },
            resume.get()));
    RunOptions options;
    options.resumeFrom = resume;
    RunControl control;
    Outcome o;
    o.record = runTraining(
        *recipe, control, hooks,
        [&](const RunEvent& e) {
            if (e.kind == RunEvent::Kind::Epoch) o.epochs.push_back(e);
        },
        options, [&](std::map<std::string, WeightSet>&& w) { o.weights = std::move(w["model"]); });
    return o;
}

bool sameWeights(const WeightSet& a, const WeightSet& b) {
    if (a.size() != b.size() || a.empty()) return false;
    for (const auto& [node, tensors] : a)
        for (const auto& [name, t] : tensors) {
            auto n = b.find(node);
            if (n == b.end() || !n->second.count(name)) return false;
            const Tensor& u = n->second.at(name);
            if (u.dims() != t.dims() || !std::equal(t.data(), t.data() + t.size(), u.data()))
                return false;
        }
    return true;
}

QStringList fileNames(const std::string& folder) {
    QStringList names;
    for (const auto& e : std::filesystem::directory_iterator(folder))
        names << QString::fromStdString(e.path().filename().string());
    names.sort();
    return names;
}

}  // namespace

class TestCheckpoints : public QObject {
    Q_OBJECT
private slots:
    // In one process: resuming after epoch 2 gives the uninterrupted run's weights, history and
    // learning rates exactly (the data order, optimizer state and schedule all continue).
    void resumedRunMatchesTheUninterruptedOne() {
        const Project p = smallProject();
        const std::string folder = (tempDir() + "/inproc.checkpoints").toStdString();
        CheckpointStore store(folder, 10);
        const Outcome whole = run(p, &store);
        QCOMPARE(QString::fromStdString(whole.record.status), QString("finished"));
        QCOMPARE(fileNames(folder), QStringList({"epoch-0001.ckpt.json", "epoch-0002.ckpt.json",
                                                 "epoch-0003.ckpt.json", "epoch-0004.ckpt.json"}));
        const auto c =
            std::make_shared<Checkpoint>(readCheckpoint(folder + "/epoch-0002.ckpt.json"));
        QCOMPARE(c->epoch, int64_t(2));
        QCOMPARE(c->run.epochs.size(), size_t(2));
        QVERIFY(!c->optimizerState.empty());
        const Outcome resumed = run(p, nullptr, c);
        QCOMPARE(QString::fromStdString(resumed.record.status), QString("finished"));
        QVERIFY(sameWeights(resumed.weights, whole.weights));
        QCOMPARE(resumed.record.epochs.size(), size_t(4));
        for (size_t e = 0; e < 4; ++e) {
            QCOMPARE(resumed.record.epochs[e].trainLoss, whole.record.epochs[e].trainLoss);
            QCOMPARE(resumed.record.epochs[e].valLoss, whole.record.epochs[e].valLoss);
            QCOMPARE(resumed.record.epochs[e].learningRate, whole.record.epochs[e].learningRate);
        }
        QCOMPARE(resumed.epochs.front().epoch, int64_t(3));  // it ran epochs 3 and 4 only
        QCOMPARE(resumed.record.testLoss, whole.record.testLoss);
    }

    // With dropout and augmentation (crop, flip, erasing) the checkpoint carries the transforms'
    // generator states, and the resumed run ends with the uninterrupted run's weights. Without
    // those states (dropped here) the resumed run draws other crops and flips and ends
    // elsewhere: the saved states are what makes it exact.
    void augmentedRunWithDropoutResumesExactly() {
        const Project p = augmentedProject();
        const std::string folder = (tempDir() + "/augmented.checkpoints").toStdString();
        CheckpointStore store(folder, 10);
        const Outcome whole = run(p, &store);
        QCOMPARE(QString::fromStdString(whole.record.status), QString("finished"));
        const auto c =
            std::make_shared<Checkpoint>(readCheckpoint(folder + "/epoch-0002.ckpt.json"));
        QCOMPARE(c->transformStates.size(), size_t(3));
        QVERIFY(QString::fromStdString(c->transformStates[0]).startsWith("random_crop "));
        QVERIFY(QString::fromStdString(c->transformStates[1]).startsWith("horizontal_flip "));
        QVERIFY(QString::fromStdString(c->transformStates[2]).startsWith("random_erasing "));
        const Outcome resumed = run(p, nullptr, c);
        QCOMPARE(QString::fromStdString(resumed.record.status), QString("finished"));
        QVERIFY(sameWeights(resumed.weights, whole.weights));
        QCOMPARE(resumed.record.epochs.back().trainLoss, whole.record.epochs.back().trainLoss);

        auto fresh = std::make_shared<Checkpoint>(*c);
        fresh->transformStates.clear();  // as if they were not saved: freshly seeded transforms
        const Outcome diverged = run(p, nullptr, fresh);
        QCOMPARE(QString::fromStdString(diverged.record.status), QString("finished"));
        QVERIFY(!sameWeights(diverged.weights, whole.weights));

        // A checkpoint of another augmentation is refused, naming what changed.
        Project noFlip = p;
        noFlip.training.augmentation.flip = false;
        QCOMPARE(QString::fromStdString(run(noFlip, nullptr, c).record.message),
                 QString("the checkpoint's augmentation has 3 transforms, this run has 2: the "
                         "augmentation settings changed since it was taken"));
    }

    // Early stopping's patience survives a resume: the checkpoint holds the best epoch, its loss,
    // the epochs without improvement and the best weights, and a run resumed after an epoch
    // that did not improve stops at the same epoch, with the same kept weights and message, as
    // the uninterrupted run. Without that state the resumed run would count from zero and stop
    // later.
    void earlyStoppingPatienceSurvivesResume() {
        Project p = smallProject();
        p.training.epochs = 14;
        p.training.schedule.type = "constant";
        p.training.optimizer.lr = 0.02;  // 640 samples at this rate overfit: the loss turns up
        p.training.earlyStopping = 2;
        const std::string folder = (tempDir() + "/patience.checkpoints").toStdString();
        CheckpointStore store(folder, 20);
        const Outcome whole = run(p, &store);
        QCOMPARE(QString::fromStdString(whole.record.status), QString("finished"));
        const int64_t stopped = static_cast<int64_t>(whole.record.epochs.size());
        QVERIFY2(stopped < 14, "the run was meant to stop early");
        const int64_t bestEpoch = stopped - 2;
        QVERIFY2(QString::fromStdString(whole.record.message)
                     .startsWith(QString("Kept the weights of epoch %1 ").arg(bestEpoch)),
                 whole.record.message.c_str());

        // The checkpoint one epoch after the best: one epoch of patience used.
        const std::string name =
            QString("/epoch-%1.ckpt.json").arg(bestEpoch + 1, 4, 10, QChar('0')).toStdString();
        const auto c = std::make_shared<Checkpoint>(readCheckpoint(folder + name));
        QVERIFY(c->earlyStopping.present);
        QCOMPARE(c->earlyStopping.bestEpoch, bestEpoch);
        QCOMPARE(c->earlyStopping.epochsWithoutImprovement, int64_t(1));
        QCOMPARE(c->earlyStopping.bestLoss, whole.record.epochs[bestEpoch - 1].valLoss);
        QVERIFY(sameWeights(c->earlyStopping.bestWeights, whole.weights));

        const Outcome resumed = run(p, nullptr, c);
        QCOMPARE(QString::fromStdString(resumed.record.status), QString("finished"));
        QCOMPARE(resumed.record.epochs.size(), size_t(stopped));
        QCOMPARE(QString::fromStdString(resumed.record.message),
                 QString::fromStdString(whole.record.message));
        QVERIFY(sameWeights(resumed.weights, whole.weights));  // the best epoch's, kept

        auto forgotten = std::make_shared<Checkpoint>(*c);
        forgotten->earlyStopping = {};
        const Outcome counting = run(p, nullptr, forgotten);
        QVERIFY(static_cast<int64_t>(counting.record.epochs.size()) > stopped);

        // A damaged state is refused before a step runs.
        auto damaged = std::make_shared<Checkpoint>(*c);
        damaged->earlyStopping.bestEpoch = c->epoch + 3;
        const Outcome refused = run(p, nullptr, damaged);
        QCOMPARE(QString::fromStdString(refused.record.status), QString("failed"));
        QVERIFY2(QString::fromStdString(refused.record.message)
                     .startsWith("the checkpoint's early stopping state does not fit"),
                 refused.record.message.c_str());
    }

    // Keep-best keeps the epoch with the lowest validation loss (its weights), and the periodic
    // checkpoints stay within their bound.
    void keepBestAndTheBoundedCount() {
        Project p = smallProject();
        p.training.epochs = 6;
        p.training.optimizer.lr = 0.02;  // high enough that the validation loss goes up and down
        p.training.checkpoints.keep = 2;
        p.training.checkpoints.best = "val_loss";
        const std::string folder = (tempDir() + "/best.checkpoints").toStdString();
        CheckpointStore store(folder, p.training.checkpoints.keep);
        const Outcome o = run(p, &store);
        QCOMPARE(o.epochs.size(), size_t(6));
        size_t best = 0;
        for (size_t i = 1; i < o.epochs.size(); ++i)
            if (o.epochs[i].record.valLoss < o.epochs[best].record.valLoss) best = i;
        const QString bestName =
            QString("best-epoch-%1.ckpt.json").arg(best + 1, 4, 10, QChar('0'));
        QCOMPARE(fileNames(folder),
                 QStringList({bestName, "epoch-0005.ckpt.json", "epoch-0006.ckpt.json"}));
        const Checkpoint c = readCheckpoint(folder + "/" + bestName.toStdString());
        QVERIFY(c.best);
        QCOMPARE(c.bestValue, o.epochs[best].record.valLoss);
        QVERIFY(sameWeights(c.weights.at("model"), *o.epochs[best].weightsOf("model")));
        // Only the newest is offered for resuming, and none once the run is marked ended.
        QCOMPARE(store.resumable()->epoch, int64_t(6));
        store.markEnded();
        QVERIFY(!store.resumable());
        store.clear();
        QCOMPARE(fileNames(folder), QStringList());
    }

    // A checkpoint of another network is refused before a step runs, naming the layer and the
    // shapes; one of another batch size or a run already past the planned epochs likewise.
    void foreignCheckpointIsRefused() {
        Project p = smallProject();
        p.training.epochs = 2;
        const std::string folder = (tempDir() + "/foreign.checkpoints").toStdString();
        CheckpointStore store(folder, 3);
        run(p, &store);
        const auto c =
            std::make_shared<Checkpoint>(readCheckpoint(folder + "/epoch-0001.ckpt.json"));

        Project other = p;
        for (const Node& n : p.model().graph.nodes())
            if (n.name == "fc2")
                other.model().graph.findNode(n.id)->params.set("units", int64_t(64));
        const Outcome o = run(other, nullptr, c);
        QCOMPARE(QString::fromStdString(o.record.status), QString("failed"));
        QVERIFY(o.epochs.empty());
        QCOMPARE(QString::fromStdString(o.record.message),
                 QString("the checkpoint was made with a different network: layer 'fc2' bias "
                         "is 128 in the checkpoint but 64 in this network"));

        Project batch = p;
        batch.training.batchSize = 32;
        QVERIFY(QString::fromStdString(run(batch, nullptr, c).record.message)
                    .startsWith("the checkpoint was taken with 10 batches per epoch, this run "
                                "has 20"));
        Project shorter = p;
        shorter.training.epochs = 1;
        QCOMPARE(QString::fromStdString(run(shorter, nullptr, c).record.message),
                 QString("the checkpoint is at epoch 1, the run has only 1 epochs: raise "
                         "training.epochs to continue it"));
    }

    // The real thing: `netloom train` killed with SIGKILL in the middle of epoch 3, then
    // `netloom train --resume`, ends with the same weights (bit for bit) as a run of the same
    // project that was never interrupted, and as this process resuming from the same
    // checkpoint.
    void killedRunResumesWithTheSameWeights() {
        killAndResume(smallProject(12800), "kill", 0);  // 200 batches an epoch: time to kill one
    }

    // The same with every random draw in play: dropout masks and augmentation (crop, flip,
    // erasing, whose generators run on the batch source's helper thread) continue from the
    // checkpoint exactly as in the run that was never interrupted.
    void killedAugmentedRunWithDropoutResumesWithTheSameWeights() {
        killAndResume(augmentedProject(6400), "kill-augmented", 3);  // 100 batches an epoch
    }

    // --resume without a checkpoint says where it looked.
    void resumeWithoutACheckpointSaysWhereItLooked() {
        const QString dir = tempDir() + "/none";
        QDir().mkpath(dir);
        saveProject(smallProject(), (dir + "/p.netloom").toStdString());
        QProcess proc;
        proc.start(NETLOOM_BINARY, {"train", dir + "/p.netloom", "--resume"});
        QVERIFY(proc.waitForFinished(60000));
        QCOMPARE(proc.exitCode(), 1);
        QVERIFY2(QString(proc.readAllStandardError())
                     .contains("nothing to resume: no checkpoint of an unfinished run in " + dir +
                               "/p.netloom.checkpoints"),
                 "");
    }

private:
    // `netloom train p` killed with SIGKILL during epoch 3, `--resume`d, compared bit for bit
    // with this process's runs from the same checkpoint and from scratch.
    void killAndResume(const Project& p, const QString& name, size_t transforms) {
        const QString dir = tempDir() + "/" + name;
        QDir().mkpath(dir);
        const QString file = dir + "/mlp.netloom";
        saveProject(p, file.toStdString());
        const std::string folder = CheckpointStore::folderFor(file.toStdString());

        QProcess proc;
        proc.setProcessChannelMode(QProcess::SeparateChannels);
        proc.start(NETLOOM_BINARY, {"train", file});
        QVERIFY(proc.waitForStarted(10000));
        // The checkpoint of epoch 2 appears once epoch 2 has ended: epoch 3 (100 or more
        // batches, well over 50 ms) is under way shortly after; kill it then.
        QElapsedTimer t;
        t.start();
        const std::string second = folder + "/epoch-0002.ckpt.json";
        while (!std::filesystem::exists(second) && t.elapsed() < 300000 &&
               proc.state() == QProcess::Running)
            QThread::msleep(5);
        QVERIFY2(std::filesystem::exists(second), proc.readAllStandardError().constData());
        QThread::msleep(50);
        ::kill(static_cast<pid_t>(proc.processId()), SIGKILL);
        QVERIFY(proc.waitForFinished(10000));
        QCOMPARE(proc.exitStatus(), QProcess::CrashExit);
        CheckpointStore store(folder, 3);
        // Killed inside epoch 3: its checkpoint was never written.
        QCOMPARE(store.resumable()->epoch, int64_t(2));
        QVERIFY(!std::filesystem::exists(folder + "/epoch-0003.ckpt.json"));
        const auto c = std::make_shared<Checkpoint>(readCheckpoint(store.resumable()->path));
        QCOMPARE(c->transformStates.size(), transforms);

        QProcess resume;
        resume.start(NETLOOM_BINARY,
                     {"train", file, "--resume", "--save", dir + "/resumed.netloom"});
        QVERIFY(resume.waitForFinished(300000));
        const QString out = resume.readAllStandardOutput();
        QVERIFY2(resume.exitCode() == 0, qPrintable(out + resume.readAllStandardError()));
        QVERIFY2(out.contains("resuming after epoch 2"), qPrintable(out));
        QVERIFY2(
            !out.contains("epoch 1/4") && out.contains("epoch 3/4") && out.contains("epoch 4/4"),
            qPrintable(out));
        const Project resumed = loadProject((dir + "/resumed.netloom").toStdString());
        QCOMPARE(resumed.history.back().epochs.size(), size_t(4));
        QVERIFY(!store.resumable());  // the resumed run finished

        // The uninterrupted run, in this process, from the same checkpoint and from scratch.
        const Outcome fromCheckpoint = run(p, nullptr, c);
        QVERIFY(sameWeights(resumed.model().weights, fromCheckpoint.weights));
        const Outcome whole = run(p, nullptr);
        QVERIFY(sameWeights(resumed.model().weights, whole.weights));
        for (size_t e = 0; e < 4; ++e)
            QCOMPARE(resumed.history.back().epochs[e].valLoss, whole.record.epochs[e].valLoss);
    }
};

QTEST_GUILESS_MAIN(TestCheckpoints)
#include "test_checkpoints.moc"
