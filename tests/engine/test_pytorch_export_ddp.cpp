// The exported script scales out unchanged: `OMP_NUM_THREADS=1 torchrun --standalone
// --nproc_per_node=2 model.py --steps 1` (two processes, half the batch each, DDP averaging the
// gradients) writes the same weights as `python3 model.py --steps 1` (one process, the whole
// batch). Runs when a Python with torch and the sample's data (Fashion-MNIST, the word list)
// exist; skips otherwise.
#include <QFile>
#include <QStandardPaths>
#include <QtTest>

#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/io/project_io.h"
#include "support/test_support.h"
#include "tests/engine/pytorch_export_support.h"

using namespace netloom::engine;
using netloom::test::ProcessResult;
using netloom::test::runProcess;

class TestPytorchExportDdp : public QObject {
    Q_OBJECT
private slots:
    void twoProcessesTakeTheStepOfOne_data() {
        QTest::addColumn<QString>("sample");
        QTest::newRow("fashion-cnn") << "fashion-cnn.netloom";
        QTest::newRow("fashion-mlp") << "fashion-mlp.netloom";
        // Sequence generation: the halves of a batch hold different numbers of real tokens, so
        // the per-token mean must be taken over the global batch, not averaged per process.
        QTest::newRow("words-lstm") << "words-lstm.netloom";
    }
    void twoProcessesTakeTheStepOfOne() {
        QFETCH(QString, sample);
        const QString python = netloom::test::torchPython();
        if (python.isEmpty()) QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        Project project = loadProject(netloom::test::sampleFile(sample.toStdString()));
        if (project.training.dataset.kind == "text") {
            if (!QFile::exists(QString::fromStdString(project.training.dataset.textPath)))
                QSKIP("the word list is not installed (Debian package wamerican)");
        } else if (!QFile::exists(QString::fromStdString(netloom::test::fashionDir()) +
                                  "/train-images-idx3-ubyte.gz")) {
            QSKIP("Fashion-MNIST is not installed");
        }
        project.training.dataset.limitTrain = 512;  // the script reads only what it needs
        project.training.dataset.limitTest = 64;
        // SGD: the step is linear in the gradient, so the comparison measures the gradient
        // averaging alone. (Adam's first step normalises each gradient by its own size, which
        // turns gradients at rounding level, such as a sum in another order, into full-size
        // steps; test_pytorch_export compares the samples' own optimizers with NetLoom.)
        // The words' embedding (N(0, 1) values, a gradient spread over ~70 rows) needs a larger
        // rate to move visibly in one step.
        const bool text = project.training.dataset.kind == "text";
        project.training.optimizer =
            OptimizerConfig().withType("sgd").withLr(text ? 5.0 : 0.05).withMomentum(0.9);
        const QString dir = netloom::test::tempDir() + "/ddp-" + sample;
        const PyTorchExportReport report = exportPyTorch(project, dir.toStdString());
        QVERIFY2(report.ok(), report.text().c_str());
        const QString script = dir + "/model.py";
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", "1");

        const ProcessResult one = runProcess(
            python, {script, "--steps", "1", "--no-eval", "--out", dir + "/one.nlw"}, env);
        QVERIFY2(one.exitCode == 0, qPrintable(one.output));

        // torchrun from the same Python, as `torchrun` itself does.
        const QStringList launcher{"-m", "torch.distributed.run", "--standalone",
                                   "--nproc_per_node=2"};
        const QStringList scriptArgs{script,      "--steps", "1",
                                     "--no-eval", "--out",   dir + "/two.nlw"};
        ProcessResult two = runProcess(python, launcher + scriptArgs, env);
        if (two.exitCode != 0 && two.output.contains("'NoneType' object has no attribute 'get'")) {
            // Debian's torch 1.13 under Python 3.11 cannot parse its own default "--redirects 0"
            // (enum.Flag iteration changed); naming the redirects explicitly avoids it (README).
            qWarning("torchrun needs --redirects 1 --tee 1 with this Python (see the README)");
            two = runProcess(
                python, launcher + QStringList{"--redirects", "1", "--tee", "1"} + scriptArgs, env);
        }
        QVERIFY2(two.exitCode == 0, qPrintable(two.output));

        const TensorFile a = readTensorFile((dir + "/one.nlw").toStdString());
        const TensorFile b = readTensorFile((dir + "/two.nlw").toStdString());
        const TensorFile start = readTensorFile((dir + "/weights.nlw").toStdString());
        QCOMPARE(b.meta.value("world_size", 0), 2);
        QCOMPARE(a.meta.value("world_size", 0), 1);
        QCOMPARE(a.tensors.size(), start.tensors.size());
        double worst = 0;
        for (const auto& [name, t] : a.tensors) {
            const Tensor* other = b.find(name);
            QVERIFY2(other, name.c_str());
            const double d = netloom::test::relativeDifference(*other, t);
            worst = std::max(worst, d);
            QVERIFY2(d <= 1e-5, qPrintable(QString::fromStdString(name) + " differs by " +
                                           QString::number(d)));
            // The step moved the weights: equal results are not just the unchanged start.
            const double moved = netloom::test::relativeDifference(t, *start.find(name));
            QVERIFY2(moved > 1e-4, qPrintable(QString::fromStdString(name) + " moved by only " +
                                              QString::number(moved)));
        }
        qInfo("%s: 2 processes vs 1, worst relative difference %.2e", qPrintable(sample), worst);
    }
};

QTEST_GUILESS_MAIN(TestPytorchExportDdp)
#include "test_pytorch_export_ddp.moc"
