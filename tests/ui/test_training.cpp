// Live training through the window's controller on real Fashion-MNIST data (limited for speed):
// the document gets the engine's weights and run record, pause holds within one batch and resume
// continues, stop keeps the weights, a diverging run keeps the previous weights; the training
// panel's charts and confusion matrix show exactly the engine's numbers. (The window training
// fashion-cnn, with the screenshots, is test_training_window.cpp.)
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>
#include <QtCharts/QLineSeries>
#include <QtTest>
#include <cmath>

#include "engine/core/error.h"
#include "support/same_weights.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/palette_widget.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/class_metrics_table.h"
#include "ui/evaluation/confusion_matrix_widget.h"
#include "ui/training/run_epochs_table.h"
#include "ui/training/run_history_table.h"
#include "ui/training/series_decimation.h"
#include "ui/training/training_charts.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/widgets/float_spin_box.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;
using netloom::test::sameWeights;

namespace {

constexpr int kLongWait = 240'000;  // the machine is slow and shared

// fashion-mlp with 640 training and 200 test images.
bool loadMlp(GraphDocument& doc, int64_t epochs, int64_t batchSize = 64) {
    const QString sample = QString::fromStdString(test::sampleFile("fashion-mlp.netloom"));
    if (!QFile::exists(sample)) return false;
    doc.load(sample);
    engine::TrainingConfig config = doc.training();
    config.dataset.limitTrain = 640;
    config.dataset.limitTest = 200;
    config.epochs = epochs;
    config.batchSize = batchSize;
    config.threads = 1;
    doc.setTraining(config);
    return true;
}

}  // namespace

class TestTraining : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        test::isolateSettings();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }

    void runPutsWeightsAndHistoryIntoDocument() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 2));
        TrainingController controller(&doc);
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        int64_t batches = 0, lastStep = 0;
        bool ordered = true;
        connect(&controller, &TrainingController::stepsArrived, this,
                [&](const QVector<RunPoint>& points, const engine::RunEvent&) {
                    for (const RunPoint& p : points) {
                        ordered = ordered && p.step == lastStep + 1;
                        lastStep = p.step;
                        ++batches;
                    }
                });
        QVERIFY(doc.project().model().weights.empty());
        QVERIFY(controller.start());
        QVERIFY(controller.isActive());
        QVERIFY(!controller.start());  // one run at a time
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(epochs.count(), 2);
        QCOMPARE(batches, int64_t{2 * 10});  // 640 / 64 per epoch, every batch delivered once
        QVERIFY(ordered);
        QCOMPARE(controller.state(), TrainingController::State::Idle);

        const auto record = finished.at(0).at(0).value<engine::RunRecord>();
        QCOMPARE(record.status, std::string("finished"));
        QCOMPARE(record.epochs.size(), size_t{2});
        for (int i = 0; i < 2; ++i)
            QCOMPARE(epochs.at(i).at(0).value<engine::EpochRecord>(), record.epochs[i]);
        const auto val = epochs.at(1).at(1).value<engine::EvalResult>();
        QCOMPARE(val.samples, int64_t{200});
        QCOMPARE(val.numClasses, 10);
        int64_t total = 0;
        for (int64_t c : val.confusion) total += c;
        QCOMPARE(total, int64_t{200});

        QCOMPARE(doc.project().history.size(), size_t{1});
        QCOMPARE(doc.project().history.back().epochs, record.epochs);
        QVERIFY(doc.isModified());
        const engine::WeightSet& w = doc.project().model().weights;
        QCOMPARE(w.size(), size_t{3});  // the three Dense layers
        for (const char* id : {"n3", "n5", "n7"}) QVERIFY(w.count(id) && w.at(id).count("weight"));

        // Reset weights forgets them; the next run starts fresh.
        QVERIFY(controller.resetWeights());
        QVERIFY(doc.project().model().weights.empty());
    }

    void pauseHoldsWithinOneBatchAndResumeContinues() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 1000, 16));
        TrainingController controller(&doc);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start());
        QTRY_VERIFY_WITH_TIMEOUT(controller.engineStep() >= 3, kLongWait);
        const int64_t atPause = controller.engineStep();
        controller.pause();
        QCOMPARE(controller.state(), TrainingController::State::Paused);
        QTest::qWait(400);
        const int64_t held = controller.engineStep();
        QVERIFY2(held <= atPause + 1, qPrintable(QString("%1 → %2").arg(atPause).arg(held)));
        QTest::qWait(800);
        QCOMPARE(controller.engineStep(), held);
        QTRY_COMPARE_WITH_TIMEOUT(controller.lastProgress().step, held, 5000);  // GUI caught up

        controller.resume();
        QTRY_VERIFY_WITH_TIMEOUT(controller.engineStep() > held + 2, kLongWait);

        // Stop keeps the weights reached so far.
        controller.stop();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        const auto record = finished.at(0).at(0).value<engine::RunRecord>();
        QCOMPARE(record.status, std::string("stopped"));
        QCOMPARE(doc.project().model().weights.size(), size_t{3});
        QCOMPARE(doc.project().history.size(), size_t{1});
        QCOMPARE(doc.project().history.back().status, std::string("stopped"));
    }

    // A NaN loss pauses the run (rolled back to the epoch's start) and says so; stopping then
    // keeps those finite weights; a run resumed with a sane learning rate finishes.
    void nonFiniteLossPausesAndRollsBack() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 1));
        TrainingController controller(&doc);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start());
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        const engine::WeightSet before = doc.project().model().weights;
        QVERIFY(!before.empty());

        engine::TrainingConfig config = doc.training();
        config.optimizer.type = "sgd";
        config.optimizer.lr = 1e30;
        config.epochs = 3;
        doc.setTraining(config);
        QSignalSpy health(&controller, &TrainingController::healthPaused);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QVERIFY(controller.start());
        QVERIFY(health.count() == 1 || health.wait(kLongWait));
        const QString message = health.at(0).at(0).toString();
        QVERIFY2((message.contains("NaN") || message.contains("infinite")) &&
                     message.contains("epoch 1, batch") && message.contains("rolled back"),
                 qPrintable(message));
        QCOMPARE(controller.state(), TrainingController::State::Paused);
        QCOMPARE(controller.healthMessage(), message);
        controller.stop();
        QVERIFY(finished.count() == 2 || finished.wait(kLongWait));
        QCOMPARE(failed.count(), 0);
        // Rolled back to the start of epoch 1: the weights the run began with.
        QVERIFY(sameWeights(doc.project().model().weights, before));
        QCOMPARE(doc.project().history.back().status, std::string("stopped"));

        // Again, and this time the user lowers the learning rate and resumes.
        QVERIFY(controller.start());
        QVERIFY(health.count() == 2 || health.wait(kLongWait));
        controller.setLearningRate(0.01);
        controller.resume();
        QVERIFY(finished.count() == 3 || finished.wait(kLongWait));
        QCOMPARE(doc.project().history.back().status, std::string("finished"));
        QVERIFY(doc.project().history.back().testAccuracy > 0.5);
        // The run history shows the rate the epochs really used: the lowered one.
        const engine::RunRecord& run = doc.project().history.back();
        for (const engine::EpochRecord& e : run.epochs) QCOMPARE(e.learningRate, 0.01);
        RunEpochsTable table;
        table.showRun("run", run);
        QCOMPARE(table.item(0, RunEpochsTable::LearningRate)->text(), QString("0.01"));
        engine::RunRecord older = run;  // written before the rate was kept
        older.epochs.front().learningRate = std::nan("");
        table.showRun("older", older);
        QCOMPARE(table.item(0, RunEpochsTable::LearningRate)->text(), QString("–"));
    }

    void decimationKeepsShapeAndSpikes() {
        std::vector<QPointF> pts;
        for (int i = 0; i < 10000; ++i) pts.emplace_back(i, std::sin(i * 0.01));
        pts[5555].setY(42.0);
        const QList<QPointF> out = decimateMinMax(pts, 100);
        QVERIFY(out.size() <= 202);
        QVERIFY(out.size() >= 100);
        QCOMPARE(out.front(), pts.front());
        QCOMPARE(out.back(), pts.back());
        QVERIFY(out.contains(QPointF(5555, 42.0)));
        for (qsizetype i = 1; i < out.size(); ++i) QVERIFY(out[i - 1].x() < out[i].x());
        const std::vector<QPointF> few(pts.begin(), pts.begin() + 150);
        QCOMPARE(decimateMinMax(few, 100).size(), qsizetype{150});
    }

    void panelShowsTheEnginesNumbers() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 2));
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        panel.resize(1400, 360);
        panel.show();
        std::vector<double> losses, accuracies;
        connect(&controller, &TrainingController::stepsArrived, this,
                [&](const QVector<RunPoint>& points, const engine::RunEvent&) {
                    for (const RunPoint& p : points) {
                        losses.push_back(p.loss());
                        accuracies.push_back(p.accuracy());
                    }
                });
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(panel.startTraining());
        QVERIFY(!panel.trainButton()->isEnabled());
        QVERIFY(panel.stopButton()->isEnabled());
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QVERIFY(panel.trainButton()->isEnabled());
        QVERIFY(!panel.pauseButton()->isEnabled());
        QCOMPARE(epochs.count(), 2);
        panel.charts()->refresh();

        // Training loss: the moving average of exactly the engine's batch losses.
        QCOMPARE(losses.size(), size_t{20});
        const QList<QPointF> train = panel.charts()->trainLossSeries()->points();
        QCOMPARE(train.size(), qsizetype{20});
        double smoothed = 0;
        for (size_t i = 0; i < losses.size(); ++i) {
            smoothed = TrainingCharts::smooth(smoothed, losses[i], i == 0);
            QCOMPARE(train[static_cast<qsizetype>(i)].y(), smoothed);
        }
        QCOMPARE(train.back().x(), 2.0);
        // Training accuracy: the moving average of the engine's batch accuracies, alike.
        const QList<QPointF> trainAcc = panel.charts()->trainAccuracySeries()->points();
        QCOMPARE(trainAcc.size(), qsizetype{20});
        smoothed = 0;
        for (size_t i = 0; i < accuracies.size(); ++i) {
            smoothed = TrainingCharts::smooth(smoothed, accuracies[i], i == 0);
            QCOMPARE(trainAcc[static_cast<qsizetype>(i)].y(), smoothed);
        }
        // Per-epoch series: the engine's epoch records.
        const QList<QPointF> valLoss = panel.charts()->valLossSeries()->points();
        const QList<QPointF> valAcc = panel.charts()->valAccuracySeries()->points();
        QCOMPARE(valLoss.size(), qsizetype{2});
        QCOMPARE(valAcc.size(), qsizetype{2});
        for (int i = 0; i < 2; ++i) {
            const auto r = epochs.at(i).at(0).value<engine::EpochRecord>();
            QCOMPARE(valLoss[i], QPointF(r.epoch, r.valLoss));
            QCOMPARE(valAcc[i], QPointF(r.epoch, r.valAccuracy));
        }
        // Confusion matrix and per-class table: the last evaluation's counts.
        const auto val = epochs.at(1).at(1).value<engine::EvalResult>();
        ConfusionMatrixWidget* cm = panel.confusionMatrix();
        QCOMPARE(cm->numClasses(), 10);
        QCOMPARE(cm->counts(), val.confusion);
        QCOMPARE(cm->count(3, 4), val.confusion[3 * 10 + 4]);
        const engine::ConfusionMatrix m = toConfusionMatrix(10, val.confusion);
        QCOMPARE(m.total(), val.samples);
        QVERIFY(std::abs(m.accuracy() - val.accuracy) < 1e-12);
        ClassMetricsTable* table = panel.metricsTable();
        QCOMPARE(table->rowCount(), 11);
        for (int c = 0; c < 10; ++c) {
            QCOMPARE(table->item(c, 1)->text(), QString::number(m.precision(c), 'f', 3));
            QCOMPARE(table->item(c, 2)->text(), QString::number(m.recall(c), 'f', 3));
            QCOMPARE(table->item(c, 3)->text(), QString::number(m.f1(c), 'f', 3));
            QCOMPARE(table->item(c, 4)->text(), QString::number(m.actualCount(c)));
        }
        QCOMPARE(table->item(0, 0)->text(), QString("T-shirt"));
        QVERIFY(panel.statusText().contains("Test accuracy"));
        RunHistoryTable* runs = panel.historyTable();
        QCOMPARE(runs->rowCount(), 1);
        const engine::RunRecord& run = doc.project().history.back();
        QCOMPARE(runs->item(0, RunHistoryTable::Status)->text(), QString("finished"));
        QCOMPARE(runs->item(0, RunHistoryTable::Epochs)->text(), QString("2 / 2"));
        QCOMPARE(runs->item(0, RunHistoryTable::TestAccuracy)->text(),
                 QString::number(run.testAccuracy * 100, 'f', 1) + " %");

        // Export: the full history as CSV, the charts as a picture.
        const QString csv = test::tempDir() + "/charts.csv";
        panel.charts()->exportCsv(csv);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 2 * 20 + 2 * 2);  // smoothed loss and accuracy per batch
        QCOMPARE(lines[0], QString("series,epoch,value"));
        const auto r2 = epochs.at(1).at(0).value<engine::EpochRecord>();
        QVERIFY(lines.contains("val_loss,2," + QString::number(r2.valLoss, 'g', 10)));
        const QString png = test::tempDir() + "/charts.png";
        panel.charts()->exportPng(png);
        QVERIFY(!QImage(png).isNull());
        QVERIFY_THROWS_EXCEPTION(netloom::Error,
                                 panel.charts()->exportCsv("/nonexistent/dir/x.csv"));
        QVERIFY(!panel.grab().toImage().isNull());
    }

    // Early stopping in the window: the run ends early, the document keeps the best epoch's
    // weights, and the panel says which epoch it kept.
    void earlyStoppingKeepsTheBestEpochInTheWindow() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 40));
        engine::TrainingConfig config = doc.training();
        config.dataset.limitTrain = 1200;
        config.validationSplit = 0.25;
        config.earlyStopping = 2;
        doc.setTraining(config);
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        std::map<int64_t, std::shared_ptr<const engine::WeightSet>> epochWeights;
        std::map<int64_t, double> valLoss;
        connect(&controller, &TrainingController::epochWeights, this,
                [&](std::shared_ptr<const engine::WeightSet> w, qint64 epoch) {
                    epochWeights[epoch] = std::move(w);
                });
        connect(&controller, &TrainingController::epochFinished, this,
                [&](const engine::EpochRecord& r, const engine::EvalResult&) {
                    valLoss[r.epoch] = r.valLoss;
                });
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(panel.startTraining());
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        const engine::RunRecord& run = doc.project().history.back();
        QVERIFY2(run.epochs.size() < 40, "900 images overfit long before 40 epochs");
        int64_t best = 1;
        for (const auto& [epoch, loss] : valLoss)
            if (loss < valLoss[best]) best = epoch;
        QCOMPARE(int64_t(run.epochs.size()), best + 2);
        QVERIFY(epochWeights.count(best));
        QVERIFY(sameWeights(doc.project().model().weights, *epochWeights[best]));
        QVERIFY2(panel.statusText().contains(QString("Kept the weights of epoch %1 ").arg(best)),
                 qPrintable(panel.statusText()));
    }

    void windowLocksTheGraphWhileTraining() {
        test::ScriptedPrompter prompter;
        setPrompter(&prompter);
        {
            MainWindow w;
            TrainingPanel* panel = installTraining(&w);
            w.resize(1600, 1000);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(
                w.newFromSample(QString::fromStdString(test::sampleFile("fashion-mlp.netloom"))));
            engine::TrainingConfig config = w.document()->training();
            config.dataset.limitTrain = 640;
            config.dataset.limitTest = 200;
            config.epochs = 2;
            w.document()->setTraining(config);
            w.view()->fitGraph();
            auto* banner = w.view()->findChild<QLabel*>("trainingBanner");
            QVERIFY(banner);
            QVERIFY(!banner->isVisible());

            QSignalSpy finished(w.document()->findChild<TrainingController*>(),
                                &TrainingController::finished);
            QVERIFY(finished.isValid());
            const test::StatusLog status(w.statusBar());
            w.action("train")->trigger();
            QVERIFY(banner->isVisible());
            QVERIFY(!w.view()->isInteractive());
            QVERIFY(!w.action("delete")->isEnabled());
            QVERIFY(!w.action("undo")->isEnabled());
            QVERIFY(!w.action("train")->isEnabled());
            QVERIFY(!w.palette()->isEnabled());
            QVERIFY(!w.inspector()->isEnabled());
            QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
            QVERIFY(!status.find({"epoch"}).isEmpty());
            QVERIFY(!banner->isVisible());
            QVERIFY(w.view()->isInteractive());
            QVERIFY(w.action("train")->isEnabled());
            QVERIFY(w.palette()->isEnabled());
            QVERIFY(w.document()->isModified());
            QVERIFY(!w.document()->project().model().weights.empty());
            QVERIFY(w.statusBar()->currentMessage().contains("Finished"));
            QVERIFY(panel->historyTable()->rowCount() == 1);
            w.document()->undoStack()->setClean();
        }
        setPrompter(nullptr);
    }

    void learningRateChangedWhilePausedReachesTheRun() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 1000, 16));
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QVERIFY(panel.startTraining());
        QVERIFY(!panel.learningRateBox()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(controller.engineStep() >= 2, kLongWait);
        panel.pauseButton()->click();
        QCOMPARE(controller.state(), TrainingController::State::Paused);
        QCOMPARE(panel.pauseButton()->text(), QString("Resume"));
        QVERIFY(panel.learningRateBox()->isEnabled());
        // An absurd rate makes the very next batches diverge: proof it reached the engine. The
        // run pauses itself (an exploding or a NaN loss) and the banner says where.
        QSignalSpy health(&controller, &TrainingController::healthPaused);
        controller.setLearningRate(1e30);
        panel.pauseButton()->click();
        QVERIFY(health.count() == 1 || health.wait(kLongWait));
        QCOMPARE(controller.state(), TrainingController::State::Paused);
        QCOMPARE(failed.count(), 0);
        QVERIFY2(panel.healthText().contains("step"), qPrintable(panel.healthText()));
        QSignalSpy finished(&controller, &TrainingController::finished);
        controller.stop();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QCOMPARE(doc.project().history.back().status, std::string("stopped"));
    }

    void destroyingMidRunStopsTheThread() {
        GraphDocument doc;
        QVERIFY(loadMlp(doc, 1000, 16));
        auto controller = std::make_unique<TrainingController>(&doc);
        QVERIFY(controller->start());
        QTRY_VERIFY_WITH_TIMEOUT(controller->engineStep() >= 1, kLongWait);
        controller.reset();  // joins; ASan/TSan would see a dangling worker otherwise
        QVERIFY(doc.project().model().weights.empty());
    }
};

QTEST_MAIN(TestTraining)
#include "test_training.moc"
