// File ▸ Import Weights…: a tensor file trained elsewhere (what the exported PyTorch script
// writes) becomes the project's weights as one undoable edit: the document is modified, Undo
// and Redo swap the weights, and the draw pad predicts with the imported weights (checked
// against the engine's inference session). A file from another graph is refused with the
// reason shown and nothing changes.
#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QtTest>

#include "engine/export/pytorch_exporter.h"
#include "engine/export/pytorch_tensor_file.h"
#include "engine/infer/inference_session.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/evaluation/draw_pad.h"
#include "ui/evaluation/eval_context.h"
#include "ui/evaluation/probability_bars.h"
#include "ui/evaluation/try_it_panel.h"
#include "ui/training/training_dock.h"

using namespace netloom;
using namespace netloom::ui;

class TestImportWeights : public QObject, public test::WindowFixture {
    Q_OBJECT
private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() { QVERIFY(openWindow()); }
    void cleanup() { closeWindow(); }

    void importIsAnUndoableEditTheViewsUse() {
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        doc()->load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
        QVERIFY(doc()->project().model().weights.empty());
        QVERIFY(!doc()->isModified());

        // "Trained elsewhere": the exported weights with the last layer's bias pushed to class 7.
        const std::string dir = (test::tempDir() + "/mlp-export").toStdString();
        QVERIFY(engine::exportPyTorch(doc()->project(), dir).ok());
        engine::TensorFile file = engine::readTensorFile(dir + "/weights.nlw");
        for (auto& [name, t] : file.tensors)
            if (name == "model.fc3.bias") t[7] = 8.0f;
        const std::string trained = dir + "/trained.nlw";
        engine::writeTensorFile(trained, file);

        installTraining(m_window.get());  // the training docks, with "Try it yourself"
        auto* tryIt = m_window->findChild<TryItPanel*>();
        QVERIFY(tryIt);
        m_window->findChild<QDockWidget*>("tryItDock")->show();
        m_window->findChild<QDockWidget*>("tryItDock")->raise();
        // Untrained: the pad has nothing to predict with.
        QTRY_COMPARE_WITH_TIMEOUT(tryIt->mode(), TryItPanel::Mode::DrawPad, 20000);
        QVERIFY(tryIt->bars()->probabilities().empty());

        m_prompter.openAnswer = QString::fromStdString(trained);
        m_window->findChild<QAction*>("importWeights")->trigger();
        QVERIFY2(m_prompter.errors.isEmpty(), qPrintable(m_prompter.errors.join("\n")));
        QVERIFY(doc()->isModified());
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->undoStack()->undoText(), QString("Import weights from trained.nlw"));
        const engine::Node* fc3 = doc()->project().model().graph.findNodeByName("fc3");
        QCOMPARE(doc()->project().model().weights.at(fc3->id).at("bias")[7], 8.0f);

        // The draw pad predicts with them: its bars equal the engine's probabilities for the
        // pad's (blank) picture under the imported weights.
        QTRY_VERIFY_WITH_TIMEOUT(tryIt->bars()->probabilities().size() == 10, 60000);
        engine::InferenceSession session(doc()->project().model().graph,
                                         doc()->project().model().weights,
                                         engine::TargetKind::ClassLabels);
        engine::Tensor blank({1, 1, 28, 28});
        blank.zero();
        const engine::Tensor expected = session.probabilities(blank);
        const std::vector<float>& shown = tryIt->bars()->probabilities();
        for (int c = 0; c < 10; ++c) QVERIFY(std::fabs(shown[c] - expected[c]) < 1e-5f);
        QCOMPARE(tryIt->bars()->topClass(), 7);

        // Undo brings back the untrained project (the pad's bars empty); redo
        // the imported weights.
        doc()->undoStack()->undo();
        QVERIFY(doc()->project().model().weights.empty());
        QTRY_VERIFY_WITH_TIMEOUT(tryIt->bars()->probabilities().empty(), 20000);
        doc()->undoStack()->redo();
        QCOMPARE(doc()->project().model().weights.at(fc3->id).at("bias")[7], 8.0f);
        QTRY_VERIFY_WITH_TIMEOUT(tryIt->bars()->probabilities().size() == 10, 20000);
        QCOMPARE(tryIt->bars()->topClass(), 7);
    }

    // Optional, for the README's measurement: NETLOOM_PYTORCH_TRAINED=trained.nlw (fashion-cnn
    // trained by the exported script) is imported through the menu, then the draw pad shows 200
    // test images one by one; its top class must be the true one as often as the test accuracy
    // says, and with NETLOOM_SCREENSHOT_DIR the window is saved as pytorch-trained-draw-pad.png.
    void drawPadOnWeightsTrainedByPyTorch() {
        const QString trained = qEnvironmentVariable("NETLOOM_PYTORCH_TRAINED");
        if (trained.isEmpty()) QSKIP("set NETLOOM_PYTORCH_TRAINED to a fashion-cnn trained.nlw");
        doc()->load(QString::fromStdString(test::sampleFile("fashion-cnn.netloom")));
        installTraining(m_window.get());
        auto* tryIt = m_window->findChild<TryItPanel*>();
        m_window->findChild<QDockWidget*>("tryItDock")->show();
        m_window->findChild<QDockWidget*>("tryItDock")->raise();
        m_prompter.openAnswer = trained;
        m_window->findChild<QAction*>("importWeights")->trigger();
        QVERIFY2(m_prompter.errors.isEmpty(), qPrintable(m_prompter.errors.join("\n")));
        int right = 0;
        const int count = 200;
        for (int i = 0; i < count; ++i) {
            QTRY_VERIFY_WITH_TIMEOUT(tryIt->pickTestImage(i), 60000);
            right += tryIt->bars()->topClass() == tryIt->context()->data()->test.labels[i];
        }
        qInfo("draw pad, first %d test images: %d right (%.3f)", count, right,
              static_cast<double>(right) / count);
        QVERIFY(right > count * 0.8);
        const QString shots = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            tryIt->pickTestImage(0);
            m_window->grab().save(shots + "/pytorch-trained-draw-pad.png");
        }
    }

    void refusesAnotherGraphsWeights() {
        const std::string dir = (test::tempDir() + "/other-export").toStdString();
        doc()->load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
        QVERIFY(engine::exportPyTorch(doc()->project(), dir).ok());
        doc()->load(QString::fromStdString(test::sampleFile("fashion-cnn.netloom")));
        m_prompter.errors.clear();
        m_prompter.openAnswer = QString::fromStdString(dir + "/weights.nlw");
        m_window->findChild<QAction*>("importWeights")->trigger();
        QCOMPARE(m_prompter.errors.size(), 1);
        QVERIFY2(m_prompter.errors[0].contains("different graph") &&
                     m_prompter.errors[0].contains("model.fc1.weight"),
                 qPrintable(m_prompter.errors[0]));
        QVERIFY(!doc()->isModified());
        QCOMPARE(doc()->undoStack()->count(), 0);
        QVERIFY(doc()->project().model().weights.empty());
    }
};

QTEST_MAIN(TestImportWeights)
#include "test_import_weights.moc"
