// The learning-rate schedule and checkpoints in the window: the settings' preview chart draws
// the schedule the run will use (engine::scheduledRate at every step) and redraws as settings
// change, or shows the refusal; the training panel charts the rate each step used; opening a
// project whose run did not finish offers "Resume from checkpoint (epoch k)", and accepting
// continues that run to its end.
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QtCharts/QLineSeries>
#include <QtTest>
#include <cmath>

#include "engine/io/checkpoint_store.h"
#include "engine/io/project_io.h"
#include "engine/optim/lr_schedule.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/training/lr_schedule_preview.h"
#include "ui/training/metric_chart.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 240'000;

// fashion-mlp on 640 training images: 10 steps of 64 per epoch.
engine::TrainingConfig smallConfig(const GraphDocument& doc, int64_t epochs) {
    engine::TrainingConfig c = doc.training();
    c.dataset.limitTrain = 640;
    c.dataset.limitTest = 200;
    c.epochs = epochs;
    c.threads = 1;
    c.optimizer.type = "sgd";
    c.optimizer.lr = 0.05;
    return c;
}

// The preview's points are the schedule at every step (x in epochs).
QString previewMismatch(const LrSchedulePreview& preview, const engine::TrainingConfig& c,
                        int64_t stepsPerEpoch) {
    const QList<QPointF> pts = preview.series()->points();
    const engine::RunLength run{c.epochs, stepsPerEpoch};
    if (pts.size() != run.steps() + 1)
        return QString("%1 points for %2 steps").arg(pts.size()).arg(run.steps());
    for (int64_t t = 0; t < run.steps(); ++t) {
        const double want = engine::scheduledRate(c.schedule, c.optimizer.lr, t, run);
        if (pts[t].y() != want || std::abs(pts[t].x() - double(t) / stepsPerEpoch) > 1e-12)
            return QString("step %1: (%2, %3), want %4")
                .arg(t)
                .arg(pts[t].x())
                .arg(pts[t].y())
                .arg(want);
    }
    return {};
}

}  // namespace

class TestLrScheduleUi : public QObject, public test::WindowFixture {
    Q_OBJECT
private slots:
    void initTestCase() {
        setUpSuite();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }
    void cleanupTestCase() { tearDownSuite(); }

    void previewDrawsTheScheduleAndFollowsTheSettings() {
        GraphDocument doc;
        doc.load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
        engine::TrainingConfig c = smallConfig(doc, 4);
        c.schedule.type = "one_cycle";
        doc.setTraining(c);
        TrainingSettingsWidget settings(&doc);
        auto* preview = settings.findChild<LrSchedulePreview*>();
        QVERIFY(preview);
        QCOMPARE(LrSchedulePreview::estimatedStepsPerEpoch(c), int64_t(10));
        QCOMPARE(previewMismatch(*preview, c, 10), QString());

        // Picking another schedule in the widget (an undo command) redraws it.
        auto* type = qobject_cast<QComboBox*>(settings.editor("schedule.type"));
        QVERIFY(type);
        type->setCurrentIndex(type->findData("cosine"));
        emit type->activated(type->currentIndex());  // as a user's pick
        QCOMPARE(doc.training().schedule.type, std::string("cosine"));
        QCOMPARE(previewMismatch(*preview, doc.training(), 10), QString());
        c = doc.training();
        c.epochs = 7;
        c.schedule.period = 2;
        c.schedule.periodMultiplier = 2;
        c.schedule.warmup = 5;
        c.schedule.warmupUnit = "steps";
        doc.setTraining(c);
        QCOMPARE(previewMismatch(*preview, c, 10), QString());
        // Fashion-MNIST in full: 60,000 − the 10% held out, in batches of 64.
        c.dataset.limitTrain = 0;
        c.validationSplit = 0.1;
        QCOMPARE(LrSchedulePreview::estimatedStepsPerEpoch(c), int64_t(54000 / 64));

        // A schedule the run would refuse shows the refusal, not a curve.
        c = doc.training();
        c.schedule.warmup = 80;
        doc.setTraining(c);
        QCOMPARE(preview->series()->points().size(), 0);
        QCOMPARE(preview->caption(),
                 QString("training.schedule.warmup (80 steps) must be shorter than the run (7 "
                         "epochs of 10 steps = 70 steps)"));
    }

    // The panel's learning-rate chart shows the rate each step used: the schedule's.
    void panelChartsTheLiveRate() {
        GraphDocument doc;
        doc.load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
        engine::TrainingConfig c = smallConfig(doc, 3);
        c.schedule.type = "step";
        c.schedule.stepSize = 1;
        c.schedule.gamma = 0.5;
        doc.setTraining(c);
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(panel.startTraining());
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        auto* chart = panel.findChild<MetricChart*>("learningRateChart");
        QVERIFY(chart);
        chart->refresh();
        const QList<QPointF> pts = chart->series("lr")->points();
        QVERIFY(!pts.isEmpty());
        const std::vector<double> curve = engine::scheduleCurve(c.schedule, 0.05, {3, 10});
        for (const QPointF& p : pts) {
            const int64_t step = std::llround(p.x());  // x = the global step (1-based)
            QVERIFY(step >= 1 && step <= 30);
            QCOMPARE(p.y(), curve[step - 1]);
        }
        QCOMPARE(pts.last().y(), 0.05 * 0.25);
        const auto record = finished.at(0).at(0).value<engine::RunRecord>();
        QCOMPARE(record.epochs.at(2).learningRate, 0.05 * 0.25);
    }

    // A run stopped after its first checkpoint leaves a checkpoint; reopening the project asks
    // to resume it, and the resumed run finishes the planned epochs with the history so far.
    void reopeningOffersToResume() {
        const QString path = test::tempDir() + "/resume.netloom";
        {
            GraphDocument doc;
            doc.load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
            engine::TrainingConfig c = smallConfig(doc, 3);
            // Epochs long enough (~0.2 s or more) that the stop the GUI sends after epoch 1
            // arrives before the run ends; with 640 samples all 3 epochs could finish first.
            c.dataset.limitTrain = 12800;
            c.checkpoints.every = 1;
            doc.setTraining(c);
            doc.save(path);
            TrainingController controller(&doc);
            QSignalSpy finished(&controller, &TrainingController::finished);
            connect(&controller, &TrainingController::epochFinished, &controller,
                    [&controller] { controller.stop(); });
            QVERIFY(controller.start());
            QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
            QCOMPARE(finished.at(0).at(0).value<engine::RunRecord>().status,
                     std::string("stopped"));
        }
        engine::CheckpointStore store(engine::CheckpointStore::folderFor(path.toStdString()), 3);
        QVERIFY(store.resumable());
        const int64_t epoch = store.resumable()->epoch;

        QVERIFY(openWindow());
        installTraining(m_window.get());
        auto* controller = m_window->document()->findChild<TrainingController*>();
        QVERIFY(controller);
        QSignalSpy finished(controller, &TrainingController::finished);
        m_prompter.questions.clear();
        m_prompter.yesNoAnswer = true;
        QVERIFY(m_window->openFile(path));
        QAction* action = m_window->findChild<QAction*>("resumeCheckpoint");
        QVERIFY(action);
        QTRY_COMPARE_WITH_TIMEOUT(m_prompter.questions.size(), 1, 5000);
        QVERIFY2(m_prompter.questions[0].startsWith(
                     QString("Resume from checkpoint (epoch %1): ").arg(epoch)),
                 qPrintable(m_prompter.questions[0]));
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        const auto record = finished.at(0).at(0).value<engine::RunRecord>();
        QCOMPARE(record.status, std::string("finished"));
        QCOMPARE(record.epochs.size(), size_t(3));
        QCOMPARE(record.epochs.front().epoch, int64_t(1));
        QVERIFY(!store.resumable());  // finished: nothing more to resume
        QTRY_VERIFY(!action->isEnabled());
        closeWindow();
    }
};

QTEST_MAIN(TestLrScheduleUi)
#include "test_lr_schedule_ui.moc"
