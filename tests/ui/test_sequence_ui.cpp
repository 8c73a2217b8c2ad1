// The sequence models' views in the training dock, on short real runs through the window's
// TrainingController: words-lstm's and words-gpt's live generated text (non-empty lines from the
// run's weights while it trains, prompt and temperature controls, the vocabulary, the perplexity
// chart) and sines-gru's forecast chart (predicted vs true continuation). The windowScreenshot row
// writes the README's pictures when NETLOOM_SCREENSHOT_DIR is set.
#include <QDockWidget>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QtCharts/QLineSeries>
#include <QtTest>
#include <cmath>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_view.h"
#include "ui/document/graph_document.h"
#include "ui/training/forecast_view.h"
#include "ui/training/live_weights.h"
#include "ui/training/metric_chart.h"
#include "ui/training/text_generation_view.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kWait = 300'000;  // the machine is slow and shared

bool haveWords() {
    return QFile::exists("/usr/share/dict/words");
}

}  // namespace

class TestSequenceUi : public QObject {
    Q_OBJECT
    test::ScriptedPrompter m_prompter;

private slots:
    void initTestCase() {
        test::isolateSettings();
        setPrompter(&m_prompter);
    }
    void cleanupTestCase() { setPrompter(nullptr); }

    // The same view for the recurrent sample and the causal Transformer (words-gpt), whose
    // sampler reruns the whole prefix for every character.
    void liveTextWhileTraining_data() {
        QTest::addColumn<QString>("sample");
        QTest::newRow("words-lstm") << "words-lstm.netloom";
        QTest::newRow("words-gpt") << "words-gpt.netloom";
    }
    void liveTextWhileTraining() {
        QFETCH(QString, sample);
        if (!haveWords()) QSKIP("/usr/share/dict/words is missing: run scripts/setup.sh");
        MainWindow w;
        TrainingPanel* panel = installTraining(&w);
        QVERIFY(w.newFromSample(QString::fromStdString(test::sampleFile(sample.toStdString()))));
        engine::TrainingConfig c = w.document()->training();
        c.dataset.limitTrain = 1280;  // 18 batches of 64 after the 10% validation
        c.dataset.limitTest = 200;
        c.epochs = 2;
        c.threads = 1;
        w.document()->setTraining(c);
        TextGenerationView* view = panel->textView();
        QVERIFY(view);
        w.show();
        // Before training: no weights, the view says so.
        QVERIFY(!view->sampleNow());
        QVERIFY(view->error().contains("no trained weights"));
        auto* controller = w.document()->findChild<TrainingController*>();
        QVERIFY(controller);
        // Lines the view shows while the run is active.
        QStringList duringRun;
        connect(panel->liveWeights(), &LiveWeights::changed, this, [&] {
            if (controller->isActive() && !view->lines().isEmpty()) duringRun = view->lines();
        });
        QSignalSpy finished(controller, &TrainingController::finished);
        QVERIFY(panel->startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWait);
        QVERIFY2(!duringRun.isEmpty(), qPrintable(view->error()));
        QCOMPARE(duringRun.size(), TextGenerationView::kLines);
        int nonEmpty = 0;
        for (const QString& line : duringRun) nonEmpty += !line.isEmpty();
        QVERIFY(nonEmpty >= TextGenerationView::kLines / 2);
        // The vocabulary of /usr/share/dict/words: 3 special tokens and 69 characters.
        QVERIFY(view->vocabularyText().startsWith("<pad> <s> </s> ' A B"));
        for (const QString& line : duringRun)
            for (const QChar ch : line) QVERIFY(view->vocabularyText().contains(ch));
        // The perplexity chart has the run's steps and each epoch's validation and baseline.
        QTRY_VERIFY(view->perplexityChart()->series("perplexity")->count() > 0);
        QCOMPARE(view->perplexityChart()->series("val_perplexity")->count(), 2);
        QCOMPARE(view->perplexityChart()->series("unigram_perplexity")->count(), 2);
        QVERIFY(panel->statusText().contains("Test perplexity"));

        // Controls: a prompt starts every line; temperature 0 writes the likeliest line only;
        // Sample again draws other lines from the same weights.
        view->setPrompt("un");
        QVERIFY2(view->sampleNow(), qPrintable(view->error()));
        for (const QString& line : view->lines()) QVERIFY(line.startsWith("un"));
        view->setTemperature(0.0);
        QVERIFY(view->sampleNow());
        QCOMPARE(view->lines().count(view->lines().front()), TextGenerationView::kLines);
        view->setTemperature(1.5);
        view->setPrompt({});
        QVERIFY(view->sampleNow());
        const QStringList before = view->lines();
        view->sampleAgainButton()->click();
        QVERIFY(view->lines() != before);
        QCOMPARE(view->textView()->toPlainText(), view->lines().join('\n'));
        view->setPrompt("#");
        QVERIFY(!view->sampleNow());
        QVERIFY(view->error().contains("'#' is not in the vocabulary"));
        w.document()->undoStack()->setClean();
    }

    void forecastChart() {
        MainWindow w;
        TrainingPanel* panel = installTraining(&w);
        QVERIFY(w.newFromSample(QString::fromStdString(test::sampleFile("sines-gru.netloom"))));
        engine::TrainingConfig c = w.document()->training();
        c.dataset.syntheticSamples = 1200;
        c.epochs = 3;
        c.threads = 1;
        w.document()->setTraining(c);
        ForecastView* view = panel->forecastView();
        QVERIFY(!view->refresh());  // untrained
        QVERIFY(view->truth().size() == size_t(ForecastView::kWindows * 32));
        auto* controller = w.document()->findChild<TrainingController*>();
        QSignalSpy finished(controller, &TrainingController::finished);
        QVERIFY(panel->startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWait);
        QTRY_VERIFY(!view->predicted().empty());
        QCOMPARE(view->predicted().size(), view->truth().size());
        for (float v : view->predicted()) QVERIFY(std::isfinite(v));
        // Even briefly trained, the first predicted steps follow the series better than a
        // constant zero forecast does.
        double model = 0, zero = 0;
        for (int i = 0; i < 8; ++i) {
            model += std::pow(view->predicted()[size_t(i)] - view->truth()[size_t(i)], 2);
            zero += std::pow(view->truth()[size_t(i)], 2);
        }
        QVERIFY2(model < zero, qPrintable(QString("%1 vs %2").arg(model).arg(zero)));
        QVERIFY(view->headerText().contains("Mean squared error"));
        w.document()->undoStack()->setClean();
    }

    // docs/screenshot-words-lstm.png, docs/screenshot-live-text.png and (row words-gpt, the
    // causal Transformer) docs/screenshot-words-gpt.png:
    // NETLOOM_SCREENSHOT_DIR=docs xvfb-run -a -s "-screen 0 1920x1200x24"
    //     build/tests/ui_test_sequence_ui windowScreenshot[:ROW]
    void windowScreenshot_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QString>("picture");
        QTest::newRow("words-lstm") << "words-lstm"
                                    << "screenshot-words-lstm.png";
        QTest::newRow("words-gpt") << "words-gpt"
                                   << "screenshot-words-gpt.png";
    }
    void windowScreenshot() {
        QFETCH(QString, sample);
        QFETCH(QString, picture);
        const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("NETLOOM_SCREENSHOT_DIR is not set");
        if (!haveWords()) QSKIP("/usr/share/dict/words is missing");
        MainWindow w;
        TrainingPanel* panel = installTraining(&w);
        w.resize(1900, 1150);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(
            QString::fromStdString(test::sampleFile((sample + ".netloom").toStdString()))));
        engine::TrainingConfig c = w.document()->training();
        c.dataset.limitTrain = 24000;
        c.dataset.limitTest = 1000;
        c.epochs = 2;
        c.threads = 1;
        w.document()->setTraining(c);
        w.view()->fitGraph();
        auto* dock = w.findChild<QDockWidget*>("trainingRunDock");
        QVERIFY(dock);
        w.resizeDocks({dock}, {680}, Qt::Vertical);
        auto* controller = w.document()->findChild<TrainingController*>();
        QSignalSpy finished(controller, &TrainingController::finished);
        QVERIFY(panel->startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 900'000);
        dock->raise();
        w.view()->fitGraph();
        TextGenerationView* view = panel->textView();
        view->setTemperature(0.7);
        QVERIFY(view->sampleNow());
        QTest::qWait(300);
        QApplication::processEvents();
        QVERIFY(w.grab().toImage().save(dir + "/" + picture));
        if (sample == "words-lstm") {
            view->setPrompt("re");
            QVERIFY(view->sampleNow());
            QTest::qWait(100);
            QApplication::processEvents();
            QVERIFY(view->grab().toImage().save(dir + "/screenshot-live-text.png"));
        }
        w.document()->undoStack()->setClean();
    }
};

QTEST_MAIN(TestSequenceUi)
#include "test_sequence_ui.moc"
