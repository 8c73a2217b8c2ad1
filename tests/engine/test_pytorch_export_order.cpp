// Many steps, not one: fashion-cnn (the sample's Adam, batch 64) trained for 2 epochs of 10
// steps on the first 672 images, by NetLoom's Trainer and by the exported script — one
// process, and two under torchrun — from the same start (weights.nlw is NetLoom's
// initialisation for the seed) in NetLoom's batch order (order.nlw). The three runs must take
// the same number of steps (an extra partial batch per epoch fails here), the two script runs
// must agree, and both must land far closer to NetLoom than the script in another batch order
// (--order shuffle) does. (The drift that remains between the engines in the same order is
// measured in docs/performance.md.) Runs when a Python with torch and Fashion-MNIST exist;
// skips otherwise.
#include <QFile>
#include <QtTest>

#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/io/project_io.h"
#include "engine/tasks/trainer_for.h"
#include "support/test_support.h"
#include "tests/engine/pytorch_export_support.h"

using namespace netloom::engine;
using netloom::test::ProcessResult;
using netloom::test::runProcess;

namespace {

// The worst relative difference over the model's tensors between the script's trained.nlw and
// NetLoom's weights.
double worstDifference(const PyTorchNetwork& net, const WeightSet& ours, const TensorFile& theirs,
                       std::string& worstKey) {
    double worst = 0;
    for (const PyTorchTensor& t : net.tensors) {
        const Tensor* other = theirs.find("model." + t.key);
        if (!other) {
            worstKey = t.key + " (missing)";
            return INFINITY;
        }
        const double d = netloom::test::relativeDifference(*other, ours.at(t.nodeId).at(t.param));
        if (d > worst) {
            worst = d;
            worstKey = t.key;
        }
    }
    return worst;
}

}  // namespace

class TestPytorchExportOrder : public QObject {
    Q_OBJECT
private slots:
    void scriptTrainsNetLoomsSteps() {
        const QString python = netloom::test::torchPython();
        if (python.isEmpty()) QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        if (!QFile::exists(QString::fromStdString(netloom::test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        Project project = loadProject(netloom::test::sampleFile("fashion-cnn.netloom"));
        TrainingConfig& config = project.training;
        config.dataset.limitTrain = 10 * 64 + 32;  // 10 full batches and a partial one, dropped
        config.dataset.limitTest = 64;
        config.epochs = 2;
        config.threads = 1;

        const QString dir = netloom::test::tempDir() + "/order-cnn";
        const PyTorchExportReport report = exportPyTorch(project, dir.toStdString());
        QVERIFY2(report.ok(), report.text().c_str());
        QVERIFY2(QFile::exists(dir + "/order.nlw"), report.text().c_str());

        // NetLoom from scratch, as `netloom train` starts: the export's weights.nlw must be
        // this very initialisation for the comparison to hold.
        Trainer trainer = trainerFor(project.model().graph, config);
        const RunRecord record = trainer.run([](const RunEvent&) {});
        QVERIFY2(record.status == "finished", record.message.c_str());
        const WeightSet ours = trainer.weights();

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", "1");
        const QString script = dir + "/model.py";
        auto runScript = [&](const QStringList& launcher, const QString& out,
                             const QStringList& extra) {
            ProcessResult r = runProcess(
                python, launcher + QStringList{script, "--out", dir + "/" + out} + extra, env);
            QVERIFY2(r.exitCode == 0, qPrintable(r.output));
        };
        const QStringList torchrun{"-m",           "torch.distributed.run",
                                   "--standalone", "--nproc_per_node=2",
                                   "--redirects",  "1",
                                   "--tee",        "1"};
        runScript({}, "one.nlw", {});
        if (QTest::currentTestFailed()) return;
        runScript(torchrun, "two.nlw", {});
        if (QTest::currentTestFailed()) return;
        runScript({}, "shuffled.nlw", {"--order", "shuffle"});
        if (QTest::currentTestFailed()) return;

        const PyTorchNetwork net = pytorchNetworks(project).at("model");
        const TensorFile one = readTensorFile((dir + "/one.nlw").toStdString());
        const TensorFile two = readTensorFile((dir + "/two.nlw").toStdString());
        const TensorFile shuffled = readTensorFile((dir + "/shuffled.nlw").toStdString());
        // The same number of optimizer steps: 2 epochs × 10 full batches.
        QCOMPARE(one.meta.value("steps", 0), 20);
        QCOMPARE(two.meta.value("steps", 0), 20);
        QCOMPARE(two.meta.value("world_size", 0), 2);

        std::string keyOne, keyTwo, keyShuffled, keyPair;
        const double dOne = worstDifference(net, ours, one, keyOne);
        const double dTwo = worstDifference(net, ours, two, keyTwo);
        const double dShuffled = worstDifference(net, ours, shuffled, keyShuffled);
        WeightSet oneWeights;  // the one-process run in NetLoom's naming, to compare with two
        for (const PyTorchTensor& t : net.tensors)
            oneWeights[t.nodeId][t.param] = *one.find("model." + t.key);
        const double dPair = worstDifference(net, oneWeights, two, keyPair);
        qInfo(
            "after 20 steps, worst relative difference to NetLoom: script %.2e (%s), "
            "torchrun x2 %.2e (%s), script in a shuffled order %.2e (%s); torchrun x2 to "
            "the one-process script %.2e (%s)",
            dOne, keyOne.c_str(), dTwo, keyTwo.c_str(), dShuffled, keyShuffled.c_str(), dPair,
            keyPair.c_str());
        // Two processes take one process's steps (DDP averages the gradients).
        QVERIFY2(dPair <= 1e-2, keyPair.c_str());
        // NetLoom's order reproduces NetLoom's batches: the script lands far closer to NetLoom
        // than the same script in another order does.
        QVERIFY2(dOne * 5 < dShuffled, keyOne.c_str());
        QVERIFY2(dTwo * 5 < dShuffled, keyTwo.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportOrder)
#include "test_pytorch_export_order.moc"
