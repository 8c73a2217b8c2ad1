// The training window tells the truth and never surprises (issue 14, the training half):
// quitting, opening or starting a project mid-run asks what becomes of the run; every training
// panel shows the opened project's facts; the charts name what they plot and draw a short run;
// the right-hand settings fit a 1600×1000 window; shortcuts are listed where a user looks.
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <QtTest>
#include <cmath>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/evaluation/draw_pad.h"
#include "ui/evaluation/probability_bars.h"
#include "ui/evaluation/try_it_panel.h"
#include "ui/training/chart_legend.h"
#include "ui/training/data_cache.h"
#include "ui/training/gan_panel.h"
#include "ui/training/metric_chart.h"
#include "ui/training/run_panel_skeleton.h"
#include "ui/training/training_charts.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/training/training_settings_widget.h"
#include "ui/window/main_window.h"
#include "ui/window/shortcuts_dialog.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 240'000;  // the machine is slow and shared

QString sample(const char* name) {
    return QString::fromStdString(test::sampleFile(name));
}

bool haveFashion() {
    return QFile::exists(QString::fromStdString(test::fashionDir()) +
                         "/train-images-idx3-ubyte.gz");
}

// fashion-mlp from the samples on 640 images, long enough that a test can act mid-run.
void openLongMlpRun(MainWindow& w) {
    QVERIFY(w.newFromSample(sample("fashion-mlp.netloom")));
    engine::TrainingConfig config = w.document()->training();
    config.dataset.limitTrain = 640;
    config.dataset.limitTest = 200;
    config.epochs = 1000;
    config.batchSize = 16;
    config.threads = 1;
    w.document()->setTraining(config);
    w.document()->undoStack()->setClean();
}

}  // namespace

class TestWindowTruth : public QObject, public test::PrompterFixture {
    Q_OBJECT

    // A window with the training docks, a long run of fashion-mlp under way.
    struct Training {
        MainWindow w;
        TrainingPanel* panel = nullptr;
        TrainingController* controller = nullptr;
        Training() {
            panel = installTraining(&w);
            w.resize(1400, 900);
            w.show();
            controller = w.document()->findChild<TrainingController*>();
        }
        bool start() {
            openLongMlpRun(w);
            w.action("train")->trigger();
            return controller->isActive() &&
                   QTest::qWaitFor([this] { return controller->engineStep() >= 2; }, kLongWait);
        }
    };

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() { m_prompter = test::ScriptedPrompter{}; }

    // Ctrl+Q mid-run asks; "Keep training" cancels the quit and the run goes on; "Stop and keep
    // the weights" ends the run as Stop does (weights and record in the project) and the usual
    // save question follows for the now modified project.
    void quittingMidRunAsksAndCanKeepTheWeights() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        QVERIFY(t.start());
        QVERIFY(t.w.document()->project().model().weights.empty());
        const size_t runsBefore = t.w.document()->project().history.size();

        m_prompter.runAnswer = Prompter::RunChoice::KeepTraining;
        t.w.action("quit")->trigger();
        QCOMPARE(m_prompter.runQuestions, QStringList{"quit"});
        QVERIFY(t.w.isVisible());
        QVERIFY(t.controller->isActive());
        QCOMPARE(m_prompter.saveQuestions, 0);

        m_prompter.runAnswer = Prompter::RunChoice::StopAndKeep;
        m_prompter.saveAnswer = Prompter::SaveChoice::Cancel;  // then cancel at the save question
        t.w.action("quit")->trigger();
        QCOMPARE(m_prompter.runQuestions.size(), 2);
        QVERIFY(!t.controller->isActive());
        QCOMPARE(m_prompter.saveQuestions, 1);
        QVERIFY(t.w.isVisible());  // the save question was cancelled
        const engine::Project& p = t.w.document()->project();
        QVERIFY(!p.model().weights.empty());
        QCOMPARE(p.history.size(), runsBefore + 1);
        QCOMPARE(p.history.back().status, std::string("stopped"));
        QVERIFY(t.w.document()->isModified());
        QVERIFY2(t.panel->statusText().startsWith("Stopped"), qPrintable(t.panel->statusText()));

        m_prompter.saveAnswer = Prompter::SaveChoice::Discard;
        QVERIFY(t.w.close());
        QCOMPARE(m_prompter.runQuestions.size(), 2);  // nothing is training any more
    }

    // Opening another project mid-run asks; "Discard the run" stops it and keeps nothing, so the
    // unmodified project is replaced without a save question.
    void openingAnotherProjectMidRunCanDiscardTheRun() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        QVERIFY(t.start());
        QSignalSpy finished(t.controller, &TrainingController::finished);
        m_prompter.runAnswer = Prompter::RunChoice::Discard;
        QVERIFY(t.w.openFile(sample("fashion-cnn.netloom")));
        QCOMPARE(m_prompter.runQuestions, QStringList{"open another project"});
        QCOMPARE(m_prompter.saveQuestions, 0);
        QVERIFY(!t.controller->isActive());
        QCOMPARE(finished.count(), 0);
        QVERIFY(t.w.document()->filePath().endsWith("fashion-cnn.netloom"));
        QVERIFY(!t.w.document()->isModified());
        t.w.document()->undoStack()->setClean();
    }

    // New ▸ Blank project mid-run asks too (the action stays enabled while training).
    void newProjectMidRunAsks() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        QVERIFY(t.start());
        QVERIFY(t.w.action("newBlank")->isEnabled());
        QVERIFY(t.w.action("open")->isEnabled());
        m_prompter.runAnswer = Prompter::RunChoice::KeepTraining;
        t.w.action("newBlank")->trigger();
        QCOMPARE(m_prompter.runQuestions, QStringList{"start a new project"});
        QVERIFY(t.controller->isActive());
        QVERIFY(!t.w.document()->graph().nodes().empty());
        m_prompter.runAnswer = Prompter::RunChoice::StopAndKeep;
        m_prompter.saveAnswer = Prompter::SaveChoice::Discard;
        t.w.action("newBlank")->trigger();
        QVERIFY(!t.controller->isActive());
        QCOMPARE(m_prompter.saveQuestions, 1);  // the kept weights made it unsaved
        QVERIFY(t.w.document()->graph().nodes().empty());
        t.w.document()->undoStack()->setClean();
    }

    // After another project opens, every figure of the last run is gone: speed, elapsed and
    // remaining time, the charts, the status; the bars count the new project's epochs and its
    // batches per epoch (its batch size, its training set).
    void openingAnotherProjectResetsEveryPanel() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        t.w.resize(1600, 1000);
        QVERIFY(QTest::qWaitForWindowExposed(&t.w));
        runShortMlp(t);
        RunPanelSkeleton* run = t.panel->runSkeleton();
        QVERIFY2(run->speedText().endsWith("samples/s"), qPrintable(run->speedText()));
        QVERIFY(t.panel->charts()->trainLossSeries()->count() > 0);
        QVERIFY(t.panel->statusText().startsWith("Finished"));
        QVERIFY(t.w.statusBar()->currentMessage().contains("Finished"));

        m_prompter.saveAnswer = Prompter::SaveChoice::Discard;  // the run's weights
        QVERIFY(t.w.openFile(sample("fashion-cnn.netloom")));
        QVERIFY(m_prompter.runQuestions.isEmpty());  // nothing was training
        for (const QString& figure : {run->speedText(), run->elapsedText(), run->remainingText()})
            QCOMPARE(figure, QString("–"));
        QCOMPARE(t.panel->charts()->trainLossSeries()->count(), 0);
        QCOMPARE(t.panel->charts()->trainAccuracySeries()->count(), 0);
        QCOMPARE(t.panel->charts()->valLossSeries()->count(), 0);
        QVERIFY2(t.panel->statusText().startsWith("Press Train"),
                 qPrintable(t.panel->statusText()));
        QVERIFY(!t.w.statusBar()->currentMessage().contains("Finished"));
        const engine::TrainingConfig& cnn = t.w.document()->training();
        QCOMPARE(run->epochBar()->value(), 0);
        QCOMPARE(run->epochBar()->maximum(), int(cnn.epochs));
        const int64_t batches =
            DataCache::instance().load(cnn.dataset, cnn.validationSplit, cnn.seed)->train.count /
            cnn.batchSize;
        QTRY_COMPARE_WITH_TIMEOUT(run->stepBar()->text(), QString("Batch 0 / %1").arg(batches),
                                  kLongWait);
        t.w.document()->undoStack()->setClean();
    }

    // The charts name what they plot: without a validation split the epochs are evaluated on
    // the test set, and the series says "test". A one-epoch run draws a training accuracy curve
    // (per batch, smoothed), not a lone dot. Legends are full names, wrapped, never cut.
    void chartsNameTheEvaluatedSetAndDrawAShortRun() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        t.w.resize(1600, 1000);
        QVERIFY(QTest::qWaitForWindowExposed(&t.w));
        TrainingCharts* charts = t.panel->charts();
        // Empty axes: no "0 0 1 1 1" before the first batch.
        QVERIFY(!axisFiguresShown(charts->accuracyXAxis()));
        QVERIFY(!axisFiguresShown(charts->lossYAxis()));
        runShortMlp(t);  // validation split 0, one epoch of 40 batches
        QCOMPARE(t.w.document()->training().validationSplit, 0.0);
        QCOMPARE(charts->valAccuracySeries()->name(), QString("test"));
        QCOMPARE(charts->valLossSeries()->name(), QString("test"));
        charts->refresh();
        QCOMPARE(charts->trainAccuracySeries()->count(), 40);
        QCOMPARE(charts->trainLossSeries()->count(), 40);
        QVERIFY(axisFiguresShown(charts->accuracyXAxis()));
        // Whole epochs on x: each tick a distinct whole number.
        for (QValueAxis* x : {charts->lossXAxis(), charts->accuracyXAxis()}) {
            QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
            const double step = x->tickInterval();
            QVERIFY2(step >= 1 && step == std::floor(step), qPrintable(QString::number(step)));
        }
        // The one-epoch evaluated-set dot sits inside the plot, not half-cut on its right edge.
        QCOMPARE(charts->valAccuracySeries()->count(), 1);
        const QPointF dot = charts->valAccuracySeries()->at(0);
        const QRectF plot = charts->accuracyView()->chart()->plotArea();
        const QPointF at =
            charts->accuracyView()->chart()->mapToPosition(dot, charts->valAccuracySeries());
        QVERIFY2(at.x() + 3 <= plot.right(),
                 qPrintable(QString("dot at %1, plot ends at %2").arg(at.x()).arg(plot.right())));
        for (ChartLegend* legend : {charts->lossLegend(), charts->accuracyLegend()}) {
            QVERIFY2(legend->text().contains("training") && legend->text().contains("test"),
                     qPrintable(legend->text()));
            QVERIFY(legend->isVisible());
            QVERIFY(legend->height() >= legend->heightForWidth(legend->width()));
        }
        QVERIFY(!charts->lossView()->chart()->legend()->isVisible());

        engine::TrainingConfig config = t.w.document()->training();
        config.validationSplit = 0.1;
        t.w.document()->setTraining(config);
        QCOMPARE(charts->valAccuracySeries()->name(), QString("validation"));
        QVERIFY(charts->accuracyLegend()->text().contains("validation"));
        t.w.document()->undoStack()->setClean();
    }

    // The GAN chart: its legend lists every full name (not "D ac…"); an empty chart has no
    // labels; iterations are whole numbers on x.
    void ganChartLegendAndAxes() {
        MainWindow w;
        installTraining(&w);
        auto* gan = w.findChild<GanPanel*>();
        QVERIFY(gan);
        MetricChart* chart = gan->chart();
        QVERIFY(!axisFiguresShown(chart->xAxis()));
        QVERIFY(!axisFiguresShown(chart->leftAxis()));
        for (const char* name : {"D loss", "G loss", "D acc. real", "D acc. fake"})
            QVERIFY2(chart->legend()->text().contains(name), qPrintable(chart->legend()->text()));
        QVERIFY(!chart->view()->chart()->legend()->isVisible());
        QVector<RunPoint> points;
        for (int i = 1; i <= 2; ++i) {
            RunPoint p;
            p.step = i;
            p.metrics.set("d_loss", 0.7);
            p.metrics.set("g_loss", 0.9);
            points.push_back(p);
        }
        chart->addPoints(points);
        chart->refresh();
        QVERIFY(axisFiguresShown(chart->xAxis()));
        const double step = chart->xAxis()->tickInterval();
        QVERIFY2(step >= 1 && step == std::floor(step), qPrintable(QString::number(step)));
        QVERIFY(chart->xAxis()->max() >= 2);
    }

    // A sample opened from samples/ is saved elsewhere: Save asks where, suggesting the user's
    // folder, and the shipped file stays as it was.
    void savingAnOpenedSampleDoesNotOverwriteIt() {
        const QString root = test::tempDir() + "/source";
        QVERIFY(QDir().mkpath(root + "/samples"));
        const QString shipped = root + "/samples/fashion-mlp.netloom";
        QFile::remove(shipped);
        QVERIFY(QFile::copy(sample("fashion-mlp.netloom"), shipped));
        QFile original(shipped);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray before = original.readAll();
        original.close();
        qputenv("NETLOOM_SOURCE_DIR", root.toUtf8());
        {
            MainWindow w;
            QVERIFY(w.openFile(shipped));
            engine::TrainingConfig config = w.document()->training();
            config.epochs += 1;
            w.document()->setTraining(config);
            const QString mine = test::tempDir() + "/mine.netloom";
            m_prompter.saveFileAnswer = mine;
            QVERIFY(w.save());
            QVERIFY2(!m_prompter.suggestedSave.isEmpty() &&
                         !m_prompter.suggestedSave.startsWith(root + "/samples"),
                     qPrintable(m_prompter.suggestedSave));
            QVERIFY(m_prompter.suggestedSave.endsWith("fashion-mlp.netloom"));
            QCOMPARE(w.document()->filePath(), QFileInfo(mine).absoluteFilePath());
            QVERIFY(QFile::exists(mine));
        }
        qunsetenv("NETLOOM_SOURCE_DIR");
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(original.readAll(), before);
    }

    // Toolbar tooltips name their keys; Train ▸ Pause and Stop exist with keys and act on the
    // run; a paused run's status bar does not say "ETA"; Help ▸ Keyboard Shortcuts lists them
    // and links the documentation.
    void shortcutsAreListedAndPauseStopHaveKeys() {
        MainWindow w;
        installTraining(&w);
        loadValid(w);
        for (const char* name : {"save", "open", "undo", "fit", "autoLayout", "train"}) {
            QAction* a = w.action(name);
            const QString keys = a->shortcut().toString(QKeySequence::NativeText);
            QVERIFY2(!keys.isEmpty() && a->toolTip().contains("(" + keys + ")"),
                     qPrintable(QString("%1: %2").arg(name, a->toolTip())));
        }
        QVERIFY(w.action("train")->toolTip().contains("Ctrl+T"));
        QVERIFY(!w.action("pause")->shortcut().isEmpty());
        QVERIFY(!w.action("stop")->shortcut().isEmpty());
        const QList<ShortcutRow> rows = shortcutRows(w.menuBar());
        auto has = [&rows](const QString& menu, const QString& action) {
            for (const ShortcutRow& r : rows)
                if (r.menu == menu && r.action == action && !r.keys.isEmpty()) return true;
            return false;
        };
        QVERIFY(has("Train", "Train"));
        QVERIFY(has("Train", "Pause"));
        QVERIFY(has("Train", "Stop"));
        QVERIFY(has("File", "Save"));
        QVERIFY(has("Edit", "Duplicate"));
        QVERIFY(has("Help", "Keyboard Shortcuts"));
        w.action("shortcuts")->trigger();
        auto* dialog = w.findChild<ShortcutsDialog*>();
        QVERIFY(dialog);
        auto* table = dialog->findChild<QTableWidget*>("shortcutsTable");
        QCOMPARE(table->rowCount(), int(rows.size()));
        auto* docs = dialog->findChild<QLabel*>("documentationLink");
        QVERIFY(docs);
        const QRegularExpressionMatch link =
            QRegularExpression("href=\"([^\"]*README.md)\"").match(docs->text());
        QVERIFY2(link.hasMatch(), qPrintable(docs->text()));
        QVERIFY(QFile::exists(QUrl(link.captured(1)).toLocalFile()));
        QVERIFY(!documentationDir().isEmpty());
        QVERIFY(QFile::exists(documentationDir() + "/docs/architecture.md"));
        delete dialog;
    }

    void pauseAndStopFromTheMenu() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        QVERIFY(!t.w.action("pause")->isEnabled());
        QVERIFY(t.start());
        QVERIFY(t.w.action("pause")->isEnabled());
        t.w.action("pause")->trigger();
        QCOMPARE(t.controller->state(), RunController::State::Paused);
        QCOMPARE(t.w.action("pause")->text().remove('&'), QString("Resume"));
        const QString paused = t.w.statusBar()->currentMessage();
        QVERIFY2(paused.contains("paused") && !paused.contains("ETA"), qPrintable(paused));
        t.w.action("pause")->trigger();
        QCOMPARE(t.controller->state(), RunController::State::Running);
        QSignalSpy finished(t.controller, &TrainingController::finished);
        t.w.action("stop")->trigger();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QVERIFY(!t.w.action("stop")->isEnabled());
        t.w.document()->undoStack()->setClean();
    }

    // After the last batch the test-set evaluation is announced, in the panel and the status
    // bar, before "Finished".
    void finalEvaluationIsAnnounced() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        const test::StatusLog status(t.w.statusBar());
        QStringList panelStatus;
        connect(t.panel->runSkeleton(), &RunPanelSkeleton::progressTextChanged, this,
                [&](const QString& text) { panelStatus << text; });
        runShortMlp(t);
        QVERIFY2(!status.find({"Evaluating on the test set…"}).isEmpty(),
                 qPrintable(panelStatus.join('\n')));
        t.w.document()->undoStack()->setClean();
    }

    // A failure's message (an engine error without a full stop) and the sentence after it.
    void failureMessagesEndTheirSentence() {
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        Training t;
        QVERIFY(t.w.newFromSample(sample("fashion-mlp.netloom")));
        engine::TrainingConfig config = t.w.document()->training();
        config.dataset.limitTrain = 8;  // fewer than one batch
        config.dataset.limitTest = 50;
        t.w.document()->setTraining(config);
        QSignalSpy failed(t.controller, &TrainingController::failed);
        t.w.action("train")->trigger();
        QVERIFY(failed.count() == 1 || failed.wait(kLongWait));
        const QString text = t.panel->statusText();
        QVERIFY2(text.contains("fewer than one batch of 64. The previous weights are kept."),
                 qPrintable(text));
        t.w.document()->undoStack()->setClean();
    }

    // At 1600×1000 the common training settings (task, loss, optimizer, learning rate, batch
    // size, epochs) show without scrolling and no combo is narrower than its text; the draw
    // pad's predictions show; the problems row is a row, not a third of the window. At
    // 1366×768 everything is still there (nothing squeezed to nothing).
    void layoutFitsTheCommonSizes_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("roomy");
        QTest::newRow("1600x1000") << QSize(1600, 1000) << true;
        QTest::newRow("1366x768") << QSize(1366, 768) << false;
    }
    void layoutFitsTheCommonSizes() {
        QFETCH(QSize, size);
        QFETCH(bool, roomy);
        QSettings().clear();  // the default layout, as on a first start
        MainWindow w;
        installTraining(&w);
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(sample("fashion-cnn.netloom")));
        auto* settingsDock = w.findChild<QDockWidget*>("trainingDock");
        settingsDock->raise();
        QTest::qWait(100);
        const auto* area = qobject_cast<QScrollArea*>(settingsDock->widget());
        QVERIFY(area);
        const QWidget* viewport = area->viewport();
        shot(w, QString("layout-settings-%1x%2.png").arg(size.width()).arg(size.height()));
        for (const char* field : {"task", "loss", "optimizer", "lr", "batch_size", "epochs"}) {
            QWidget* editor = w.trainingSettings()->editor(field);
            QVERIFY2(editor, field);
            const QRect at(editor->mapTo(viewport, QPoint(0, 0)), editor->size());
            const QString where = QString("%1 at %2,%3 %4×%5 in %6×%7")
                                      .arg(field)
                                      .arg(at.x())
                                      .arg(at.y())
                                      .arg(at.width())
                                      .arg(at.height())
                                      .arg(viewport->width())
                                      .arg(viewport->height());
            QVERIFY2(editor->isVisible() && at.width() > 0 && at.height() > 0, qPrintable(where));
            if (!roomy) continue;
            QVERIFY2(viewport->rect().contains(at), qPrintable(where));
            if (auto* combo = qobject_cast<QComboBox*>(editor))
                QVERIFY2(combo->width() >= combo->sizeHint().width(),
                         qPrintable(QString("%1: %2 < %3")
                                        .arg(where)
                                        .arg(combo->width())
                                        .arg(combo->sizeHint().width())));
        }

        auto* tryDock = w.findChild<QDockWidget*>("tryItDock");
        tryDock->raise();
        QTest::qWait(100);
        auto* tryIt = tryDock->findChild<TryItPanel*>();
        const auto* tryArea = qobject_cast<QScrollArea*>(tryDock->widget());
        QVERIFY(tryIt && tryArea);
        shot(w, QString("layout-tryit-%1x%2.png").arg(size.width()).arg(size.height()));
        for (QWidget* part :
             {static_cast<QWidget*>(tryIt->pad()), static_cast<QWidget*>(tryIt->bars())}) {
            const QRect at(part->mapTo(tryArea->viewport(), QPoint(0, 0)), part->size());
            const QString where = QString("%1 at %2,%3 %4×%5 in %6×%7")
                                      .arg(part->metaObject()->className())
                                      .arg(at.x())
                                      .arg(at.y())
                                      .arg(at.width())
                                      .arg(at.height())
                                      .arg(tryArea->viewport()->width())
                                      .arg(tryArea->viewport()->height());
            QVERIFY2(part->isVisible() && at.width() > 0 && at.height() > 0, qPrintable(where));
            if (roomy) QVERIFY2(tryArea->viewport()->rect().contains(at), qPrintable(where));
        }

        auto* problems = w.findChild<QDockWidget*>("problemsDock");
        QVERIFY(problems->isVisible() && problems->height() > 40);
        QVERIFY2(problems->height() <= size.height() * 15 / 100,
                 qPrintable(
                     QString("problems row %1 of %2").arg(problems->height()).arg(size.height())));
        QVERIFY(w.view()->height() > size.height() / 2);  // the canvas keeps the room
        w.document()->undoStack()->setClean();
    }

private:
    static void shot(MainWindow& w, const QString& name) {
        const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (dir.isEmpty()) return;
        QTest::qWait(200);
        w.grab().save(dir + "/" + name);
    }

    // fashion-mlp, one epoch of 40 batches (640 images, batch 16), run to its end.
    void runShortMlp(Training& t) {
        QVERIFY(t.w.newFromSample(sample("fashion-mlp.netloom")));
        engine::TrainingConfig config = t.w.document()->training();
        config.dataset.limitTrain = 640;
        config.dataset.limitTest = 200;
        config.epochs = 1;
        config.batchSize = 16;
        config.threads = 1;
        t.w.document()->setTraining(config);
        QSignalSpy finished(t.controller, &TrainingController::finished);
        t.w.action("train")->trigger();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
    }

    static void loadValid(MainWindow& w) {
        engine::Project p = test::sampleProject();
        p.model().graph.removeNode("n6");
        p.model().layout.erase("n6");
        w.document()->reset(std::move(p));
    }
};

QTEST_MAIN(TestWindowTruth)
#include "test_window_truth.moc"
