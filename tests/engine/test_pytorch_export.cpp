// The exported PyTorch script against NetLoom, for every sample: the nn.Modules loaded with the
// exported weights give NetLoom's InferenceSession outputs on a batch (≤ 1e-4 relative), and one
// train_step of the script from those weights gives the weights of NetLoom's Trainer after one
// step on the same batch (≤ 1e-4 relative, per tensor). Runs when a Python with torch exists
// (scripts/setup.sh --bench installs python3-torch); skips otherwise.
#include <QDir>
#include <QtTest>

#include "engine/export/pytorch_exporter.h"
#include "engine/io/project_io.h"
#include "tests/engine/pytorch_export_compare.h"

class TestPytorchExport : public QObject {
    Q_OBJECT
private slots:
    void sameOutputsAndStepAsNetLoom_data() {
        QTest::addColumn<QString>("sample");
        const QStringList files =
            QDir(QString(NETLOOM_SOURCE_DIR) + "/samples").entryList({"*.netloom"}, QDir::Files);
        QVERIFY(files.size() >= 7);
        for (const QString& f : files) QTest::newRow(qPrintable(f)) << f;
    }

    void sameOutputsAndStepAsNetLoom() {
        QFETCH(QString, sample);
        if (netloom::test::torchPython().isEmpty())
            QSKIP("no python3 with torch (scripts/setup.sh --bench installs it)");
        const netloom::engine::Project project =
            netloom::engine::loadProject(netloom::test::sampleFile(sample.toStdString()));
        netloom::test::compareWithPyTorch(project, sample.toStdString());
    }
};

QTEST_GUILESS_MAIN(TestPytorchExport)
#include "test_pytorch_export.moc"
