// File ▸ Import ONNX… and File ▸ Export ▸ ONNX… in the window: an imported model lands on the
// canvas laid out (every layer a card, no two on top of each other) with its weights, and a
// report opens; an unsupported file is refused through the prompter naming the operators; the
// exported file imports back to the same layers.
#include <QMessageBox>
#include <QProcess>
#include <QtTest>
#include <set>

#include "engine/export/onnx_import.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_item.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

class TestOnnxImportUi : public QObject, public test::WindowFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        m_prompter = test::ScriptedPrompter();
        QVERIFY(openWindow());
    }
    void cleanup() { closeWindow(); }

    void importLandsOnTheCanvasLaidOut() {
        m_prompter.openAnswer = QString::fromStdString(test::dataFile("onnx/torch_cnn.onnx"));
        m_window->action("importOnnx")->trigger();
        QVERIFY2(m_prompter.errors.isEmpty(), qPrintable(m_prompter.errors.join("\n")));
        const engine::Graph& g = doc()->graph();
        QCOMPARE(static_cast<int>(g.nodes().size()), 12);
        std::set<std::pair<int, int>> places;
        for (const engine::Node& n : g.nodes()) {
            NodeItem* item = m_window->scene()->nodeItem(n.id);
            QVERIFY2(item, n.name.c_str());
            places.insert({qRound(item->pos().x()), qRound(item->pos().y())});
        }
        QCOMPARE(places.size(), g.nodes().size());  // laid out: no two cards on one spot
        // The weights came along: every Conv2D and Dense has its trained tensors.
        for (const engine::Node& n : g.nodes())
            if (n.type == "Conv2D" || n.type == "Dense")
                QVERIFY2(doc()->project().model().weights.count(n.id), n.name.c_str());
        auto* report = m_window->findChild<QMessageBox*>("interopReport");
        QVERIFY(report);
        // To look at it: NETLOOM_SCREENSHOT_DIR=/tmp/shots xvfb-run ... ui_test_onnx_import_ui
        if (qEnvironmentVariableIsSet("NETLOOM_SCREENSHOT_DIR"))
            m_window->grab().save(qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR") +
                                  "/onnx-import.png");
        QVERIFY2(report->text().contains("12 layers"), qPrintable(report->text()));
    }

    void unsupportedOperatorsAreListed() {
        m_prompter.openAnswer = QString::fromStdString(test::dataFile("onnx/unknown_ops.onnx"));
        const size_t before = doc()->graph().nodes().size();
        m_window->action("importOnnx")->trigger();
        QCOMPARE(m_prompter.errors.size(), 1);
        QVERIFY2(m_prompter.errors[0].contains("Cos (node 'cosine')") &&
                     m_prompter.errors[0].contains("FancyOp (node 'fancy')"),
                 qPrintable(m_prompter.errors[0]));
        QCOMPARE(doc()->graph().nodes().size(), before);  // the project is untouched
    }

    void exportWritesAModelThatImportsBack() {
        QVERIFY(
            m_window->openFile(QString::fromStdString(test::sampleFile("fashion-cnn.netloom"))));
        const QString out = test::tempDir() + "/cnn.onnx";
        m_prompter.saveFileAnswer = out;
        m_window->action("exportOnnx")->trigger();
        QVERIFY2(m_prompter.errors.isEmpty(), qPrintable(m_prompter.errors.join("\n")));
        const engine::OnnxImportResult back = engine::importOnnxFile(out.toStdString());
        QCOMPARE(back.network.graph.nodes().size(), doc()->graph().nodes().size());
        QVERIFY(m_window->findChild<QMessageBox*>("interopReport"));
    }

    // The same through the command line: export (with an autoencoder's halves), import, and a
    // refused file with exit code 1 and the operators named.
    void commandLineExportAndImport() {
        auto run = [](const QStringList& args, QString* output) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(NETLOOM_BINARY, args);
            p.waitForFinished(120000);
            *output = QString::fromLocal8Bit(p.readAll());
            return p.exitCode();
        };
        const QString dir = test::tempDir();
        QString out;
        QCOMPARE(
            run({"export", QString::fromStdString(test::sampleFile("fashion-autoencoder.netloom")),
                 "--onnx", dir + "/ae.onnx"},
                &out),
            0);
        for (const char* f : {"/ae.onnx", "/ae-encoder.onnx", "/ae-decoder.onnx"})
            QVERIFY2(QFile::exists(dir + f) && out.contains(dir + f), qPrintable(out));
        QCOMPARE(
            run({"import", dir + "/ae-decoder.onnx", "--save", dir + "/decoder.netloom"}, &out), 0);
        QVERIFY2(out.contains("imported"), qPrintable(out));
        QCOMPARE(run({"info", dir + "/decoder.netloom"}, &out), 0);
        QVERIFY2(out.contains("trained weights: yes"), qPrintable(out));
        QCOMPARE(run({"import", QString::fromStdString(test::dataFile("onnx/unknown_ops.onnx")),
                      "--save", dir + "/never.netloom"},
                     &out),
                 1);
        QVERIFY2(out.contains("Cos (node 'cosine')"), qPrintable(out));
        QVERIFY(!QFile::exists(dir + "/never.netloom"));
        QCOMPARE(
            run({"export", QString::fromStdString(test::sampleFile("fashion-mlp.netloom"))}, &out),
            1);
        QVERIFY2(out.contains("choose a format"), qPrintable(out));
    }
};

QTEST_MAIN(TestOnnxImportUi)
#include "test_onnx_import_ui.moc"
