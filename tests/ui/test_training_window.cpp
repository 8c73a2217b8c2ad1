// The whole window training fashion-cnn, as a user sees it: progress in the status bar and the
// panel while it runs, then the confusion matrix, the test-image gallery and the draw pad with
// the trained model's probabilities. With NETLOOM_SCREENSHOT_DIR set it trains on more data and
// saves the pictures for the documentation:
//   NETLOOM_SCREENSHOT_DIR=docs xvfb-run -a -s "-screen 0 1600x1000x24" ui_test_training_window
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QSlider>
#include <QStatusBar>
#include <QTabWidget>
#include <QtCharts/QLineSeries>
#include <QtTest>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_view.h"
#include "ui/evaluation/confusion_matrix_widget.h"
#include "ui/evaluation/draw_pad.h"
#include "ui/evaluation/prediction_gallery.h"
#include "ui/evaluation/probability_bars.h"
#include "ui/evaluation/try_it_panel.h"
#include "ui/training/training_charts.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 600'000;

QString shotDir() {
    return qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
}

// Distinct colours in a coarse sample: a blank or one-colour picture has few.
int colourVariety(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y) & 0xF0F0F0);
    return colours.size();
}

QImage shoot(MainWindow& w, const QString& name) {
    QTest::qWait(200);
    QApplication::processEvents();
    const QImage image = w.grab().toImage();
    if (!shotDir().isEmpty()) image.save(shotDir() + "/" + name);
    return image;
}

// A waistband and two legs: a pair of trousers.
void drawTrousers(DrawPad* pad) {
    const int side = std::min(pad->width(), pad->height());
    const QPoint origin((pad->width() - side) / 2, (pad->height() - side) / 2);
    auto at = [&](double fx, double fy) {
        return origin + QPoint(static_cast<int>(fx * side), static_cast<int>(fy * side));
    };
    QTest::mousePress(pad, Qt::LeftButton, {}, at(0.36, 0.12));
    QTest::mouseMove(pad, at(0.64, 0.12));
    QTest::mouseRelease(pad, Qt::LeftButton, {}, at(0.64, 0.12));
    for (double x : {0.40, 0.60}) {
        const double out = x < 0.5 ? -0.05 : 0.05;
        QTest::mousePress(pad, Qt::LeftButton, {}, at(x, 0.12));
        for (double y = 0.15; y <= 0.9; y += 0.05) QTest::mouseMove(pad, at(x + out * y, y));
        QTest::mouseRelease(pad, Qt::LeftButton, {}, at(x + out * 0.9, 0.9));
    }
}

}  // namespace

class TestTrainingWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        test::isolateSettings();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }

    void fashionCnnTrainsInTheWindow() {
        test::ScriptedPrompter prompter;
        setPrompter(&prompter);
        const bool shots = !shotDir().isEmpty();
        {
            MainWindow w;
            TrainingPanel* panel = installTraining(&w);
            w.resize(1600, 1000);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(
                w.newFromSample(QString::fromStdString(test::sampleFile("fashion-cnn.netloom"))));
            engine::TrainingConfig config = w.document()->training();
            config.dataset.limitTrain = shots ? 15000 : 640;
            config.dataset.limitTest = shots ? 2000 : 300;
            config.epochs = shots ? 3 : 2;
            w.document()->setTraining(config);
            w.view()->fitGraph();
            if (auto* dock = w.findChild<QDockWidget*>("trainingRunDock"))
                w.resizeDocks({dock}, {430}, Qt::Vertical);
            auto* controller = w.document()->findChild<TrainingController*>();
            QVERIFY(controller);
            auto* tryDock = w.findChild<QDockWidget*>("tryItDock");
            QVERIFY(tryDock);
            auto* tryIt = tryDock->findChild<TryItPanel*>();
            QVERIFY(tryIt);
            // Closed docks come back from the Train menu.
            bool inTrainMenu = false;
            for (QAction* top : w.menuBar()->actions())
                if (QMenu* m = top->menu(); m && m->actions().contains(w.action("train")))
                    inTrainMenu = m->actions().contains(tryDock->toggleViewAction());
            QVERIFY(inTrainMenu);
            QSignalSpy finished(controller, &TrainingController::finished);
            QSignalSpy epochs(controller, &TrainingController::epochFinished);
            const test::StatusLog statusLog(w.statusBar());

            QVERIFY(w.graphStatusText().endsWith("ready to train"));
            w.action("train")->trigger();
            QVERIFY(controller->isActive());
            QVERIFY2(w.graphStatusText().endsWith("training"), qPrintable(w.graphStatusText()));
            // Progress while it runs: status bar and panel.
            QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, kLongWait);
            QVERIFY2(!statusLog.find({"batch", "epoch 1/", "samples/s", "ETA"}).isEmpty(),
                     "the status bar never showed a progress message with epoch, speed and ETA");
            // The try-it pad already answers with the first epoch's weights.
            QTRY_VERIFY_WITH_TIMEOUT(tryIt->bars()->probabilities().size() == 10, 30000);
            // Gallery and pad follow the run: a test image (a sneaker) shows live probabilities.
            QTRY_VERIFY_WITH_TIMEOUT(!panel->gallery()->predictedClasses().empty(), 30000);
            QVERIFY(tryIt->pickTestImage(panel->gallery()->indices()[14]));
            QCOMPARE(tryIt->bars()->probabilities().size(), size_t{10});
            if (shots) {
                QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 2, kLongWait);
                QTRY_VERIFY_WITH_TIMEOUT(controller->lastProgress().epoch == 3 &&
                                             controller->lastProgress().stepInEpoch > 90,
                                         kLongWait);
                const QImage mid = shoot(w, "screenshot-training.png");
                QVERIFY(colourVariety(mid) > 40);
            }
            QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
            QVERIFY(w.statusBar()->currentMessage().contains("Finished"));
            QVERIFY(w.graphStatusText().endsWith("ready to train"));

            // After the run: matrix, gallery and the draw pad on the final weights.
            QCOMPARE(panel->confusionMatrix()->numClasses(), 10);
            panel->tabs()->setCurrentWidget(panel->gallery());
            QTRY_VERIFY_WITH_TIMEOUT(
                panel->gallery()->predictedClasses().size() == PredictionGallery::kImages, 30000);
            tryDock->raise();
            QTRY_VERIFY_WITH_TIMEOUT(tryIt->pad()->isVisible(), 10000);
            tryIt->clearButton()->click();
            tryIt->brushSlider()->setValue(50);  // a thick brush for a filled shape
            drawTrousers(tryIt->pad());
            QVERIFY(!tryIt->pad()->isEmpty());
            QCOMPARE(tryIt->bars()->probabilities().size(), size_t{10});
            const QImage done = shoot(w, "screenshot-training-done.png");
            QVERIFY(colourVariety(done) > 40);
            w.document()->undoStack()->setClean();
        }
        setPrompter(nullptr);
    }
};

QTEST_MAIN(TestTrainingWindow)
#include "test_training_window.moc"
