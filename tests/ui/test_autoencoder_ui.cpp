// The autoencoder views of the training dock on a short real run of fashion-autoencoder through
// the window's TrainingController: the reconstruction grid fills from batch snapshots during the
// run, changes between snapshots and ends closer to the originals than at the first snapshot;
// the latent explorer's interpolation ends are the two images' reconstructions; a 2-D code gives
// one scatter series per class; the evaluation panel reports the engine's MSE (and the GAN
// classifier score, or a clear error for a classifier without weights); PNG export works.
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QtCharts/QChart>
#include <QtCharts/QScatterSeries>
#include <QtTest>
#include <cmath>

#include "engine/data/dataset.h"
#include "engine/evaluation/default_scorer.h"
#include "engine/evaluation/project_eval.h"
#include "engine/io/project_io.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/train/evaluator.h"
#include "engine/train/gan.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_view.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/confusion_matrix_widget.h"
#include "ui/evaluation/eval_context.h"
#include "ui/evaluation/eval_panel.h"
#include "ui/evaluation/predictor.h"
#include "ui/training/data_cache.h"
#include "ui/training/latent_explorer.h"
#include "ui/training/live_weights.h"
#include "ui/training/reconstruction_view.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/widgets/image_grid.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kWait = 120'000;  // the machine is slow and shared
constexpr int64_t kTestImages = 200;

void configure(GraphDocument& doc, const std::string& sample) {
    doc.load(QString::fromStdString(test::sampleFile(sample)));
    engine::TrainingConfig c = doc.training();
    c.dataset.limitTrain = 1280;
    c.dataset.limitTest = kTestImages;
    c.epochs = 2;
    c.batchSize = 32;  // 40 batches per epoch
    c.threads = 1;
    doc.setTraining(c);
}

double meanSquared(const engine::Tensor& a, const engine::Tensor& b) {
    double s = 0;
    for (int64_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
    return s / static_cast<double>(a.size());
}

// Freshly initialised weights for a graph (stand-ins for trained ones where only the plumbing
// is tested).
engine::WeightSet initialWeights(const engine::Graph& g, uint64_t seed) {
    engine::ComputeContext ctx;
    engine::Model m(g, ctx);
    m.initialize(seed, engine::InitScheme::Default);
    return m.weights();
}

}  // namespace

class TestAutoencoderUi : public QObject {
    Q_OBJECT

    GraphDocument m_doc;  // fashion-autoencoder, trained by the first test

private slots:
    void initTestCase() {
        test::isolateSettings();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        configure(m_doc, "fashion-autoencoder.netloom");
    }

    void reconstructionGridFollowsTheRun() {
        TrainingController controller(&m_doc);
        controller.setSnapshotEveryBatches(2);
        LiveWeights live(&m_doc, &controller);
        ReconstructionView view(&live);
        view.resize(900, 600);
        view.show();
        view.context()->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(!view.grid()->message().isEmpty(), 20000);  // "press Train"
        QCOMPARE(view.reconstructions().size(), int64_t{0});

        // Each forwarded snapshot: refresh the grid at once and keep what it shows.
        std::vector<engine::Tensor> shown;
        std::vector<qint64> epochsDone;
        int epochsFinished = 0;
        connect(&controller, &TrainingController::epochFinished, this, [&] { ++epochsFinished; });
        connect(&controller, &TrainingController::epochWeights, this, [&] {
            epochsDone.push_back(epochsFinished);
            view.context()->refreshNow();
            if (view.reconstructions().size() > 0) shown.push_back(view.reconstructions());
        });
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWait);
        view.context()->refreshNow();

        // Snapshots came during the first epoch, not only at epoch ends.
        QVERIFY2(shown.size() >= 3, qPrintable(QString::number(shown.size())));
        QCOMPARE(epochsDone.front(), qint64{0});
        QCOMPARE(view.indices().size(), size_t(ReconstructionView::kImages));
        QCOMPARE(view.grid()->images().size(), size_t(2 * ReconstructionView::kImages));
        QCOMPARE(view.grid()->columns(), ReconstructionView::kColumns);
        QVERIFY(view.grid()->message().isEmpty());
        // Two images of each of the ten classes, originals row then reconstructions row.
        const QStringList captions = view.grid()->captions();
        QCOMPARE(captions.value(0), classLabels("fashion-mnist", 10).value(0));
        bool isNumber = false;  // the reconstruction's own MSE
        QVERIFY(captions.value(10).toDouble(&isNumber) >= 0.0 && isNumber);
        QVERIFY(view.saveButton()->isEnabled());

        const engine::Tensor& originals = view.originals();
        QCOMPARE(view.reconstructions().size(), originals.size());
        QVERIFY(meanSquared(shown[0], shown[1]) > 0);  // the grid moves with the run
        const double first = meanSquared(shown.front(), originals);
        const double last = meanSquared(view.reconstructions(), originals);
        QVERIFY(std::abs(view.meanSquaredError() - last) <= 1e-6 * last);
        QVERIFY2(last < 0.8 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));

        // What the grid shows is the engine's forward pass of the document's weights.
        Predictor p(m_doc.graph(), m_doc.project().model().weights);
        const engine::Tensor direct = p.forward(originals);
        QVERIFY(meanSquared(direct, view.reconstructions()) < 1e-12);
    }

    void denoisingAddsTheNoisyRow() {
        QVERIFY(!m_doc.project().model().weights.empty());
        LiveWeights live(&m_doc, nullptr);
        ReconstructionView view(&live);
        view.show();
        engine::TrainingConfig c = m_doc.training();
        c.inputNoise = 0.3;
        m_doc.setTraining(c);
        QTRY_VERIFY_WITH_TIMEOUT(view.reconstructions().size() > 0 && view.denoising(), 20000);
        QCOMPARE(view.grid()->images().size(), size_t(3 * ReconstructionView::kImages));
        QCOMPARE(view.grid()->captions().value(10), QString("noisy"));
        QVERIFY(meanSquared(view.inputs(), view.originals()) > 0.05);
        Predictor p(m_doc.graph(), m_doc.project().model().weights);
        QVERIFY(meanSquared(p.forward(view.inputs()), view.reconstructions()) < 1e-12);
        c.inputNoise = 0;
        m_doc.setTraining(c);
        QTRY_VERIFY_WITH_TIMEOUT(!view.denoising(), 20000);
        QCOMPARE(view.grid()->images().size(), size_t(2 * ReconstructionView::kImages));
    }

    void pngExportWritesTheGrid() {
        LiveWeights live(&m_doc, nullptr);
        ReconstructionView view(&live);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.saveButton()->isEnabled(), 20000);
        test::ScriptedPrompter prompter;
        setPrompter(&prompter);
        prompter.saveFileAnswer = test::tempDir() + "/reconstructions";  // ".png" is added
        view.saveButton()->click();
        setPrompter(nullptr);
        QVERIFY2(prompter.errors.isEmpty(), qPrintable(prompter.errors.join("\n")));
        const QImage png(prompter.saveFileAnswer + ".png");
        QVERIFY(!png.isNull());
        QCOMPARE(png.size(), view.grid()->render().size());
        QCOMPARE(png.pixelColor(5, 5), view.grid()->render().pixelColor(5, 5));
    }

    void interpolationEndsAreTheReconstructions_data() {
        QTest::addColumn<QString>("node");  // empty: the code layer found automatically
        QTest::newRow("code layer") << "";
        QTest::newRow("after the first layer") << "n3";
    }
    void interpolationEndsAreTheReconstructions() {
        QFETCH(QString, node);
        LiveWeights live(&m_doc, nullptr);
        LatentExplorer explorer(&live);
        explorer.resize(700, 600);
        explorer.show();
        QTRY_VERIFY_WITH_TIMEOUT(explorer.stripOutputs().size() > 0, 20000);
        QCOMPARE(QString::fromStdString(explorer.splitNode()), QString("n5"));  // Dense 32
        if (!node.isEmpty()) {
            explorer.nodeBox()->setCurrentIndex(explorer.nodeBox()->findData(node));
            QCOMPARE(QString::fromStdString(explorer.splitNode()), node);
        }
        explorer.firstBox()->setValue(3);
        explorer.secondBox()->setValue(17);
        QCOMPARE(explorer.endpointCodes().batch(), int64_t{2});
        QCOMPARE(explorer.stripOutputs().batch(), int64_t{LatentExplorer::kSteps});
        QCOMPARE(explorer.strip()->images().size(), size_t(LatentExplorer::kSteps));
        QCOMPARE(explorer.scatterPoints(), 0);  // a 32-value code is not plotted

        auto data =
            DataCache::instance().load(m_doc.training().dataset, 0.0, m_doc.training().seed);
        const std::vector<int64_t> pick{3, 17};
        Predictor full(m_doc.graph(), m_doc.project().model().weights);
        const engine::Tensor rec = full.forward(data->test, pick);
        const int64_t per = rec.size() / 2;
        const engine::Tensor& strip = explorer.stripOutputs();
        const int64_t last = (LatentExplorer::kSteps - 1) * per;
        for (int64_t i = 0; i < per; ++i) {
            QVERIFY(std::abs(strip[i] - rec[i]) <= 1e-5f);
            QVERIFY(std::abs(strip[last + i] - rec[per + i]) <= 1e-5f);
        }
        // The middle differs from both ends, and the slider walks the same line.
        engine::Tensor middle(std::vector<int64_t>{1, per}), front(std::vector<int64_t>{1, per});
        std::copy(strip.data() + 3 * per, strip.data() + 4 * per, middle.data());
        std::copy(strip.data(), strip.data() + per, front.data());
        QVERIFY(meanSquared(middle, front) > 0);
        explorer.slider()->setValue(0);
        for (int64_t i = 0; i < per; ++i)
            QVERIFY(std::abs(explorer.sliderOutput()[i] - rec[i]) <= 1e-5f);
        explorer.slider()->setValue(explorer.slider()->maximum());
        for (int64_t i = 0; i < per; ++i)
            QVERIFY(std::abs(explorer.sliderOutput()[i] - rec[per + i]) <= 1e-5f);
        QCOMPARE(explorer.decodedView()->images().size(), size_t(1));
    }

    void twoDimensionalCodesAreScattered() {
        GraphDocument doc;
        configure(doc, "fashion-autoencoder-2d.netloom");
        QVERIFY(doc.analysis().ok());
        doc.putWeights(initialWeights(doc.graph(), 5));
        LiveWeights live(&doc, nullptr);
        LatentExplorer explorer(&live);
        explorer.resize(700, 700);
        explorer.show();
        QTRY_VERIFY_WITH_TIMEOUT(explorer.scatterPoints() > 0, 20000);
        QCOMPARE(explorer.endpointCodes().size(), int64_t{4});  // two codes of two values
        const QList<QAbstractSeries*> series = explorer.scatterChart()->series();
        QCOMPARE(series.size(), 10);
        auto data = DataCache::instance().load(doc.training().dataset, 0.0, doc.training().seed);
        QCOMPARE(data->test.count, kTestImages);
        int total = 0;
        for (int c = 0; c < 10; ++c) {
            auto* s = qobject_cast<QScatterSeries*>(series[c]);
            QVERIFY(s);
            QCOMPARE(s->name(), classLabels("fashion-mnist", 10).value(c));
            int expected = 0;
            for (int64_t i = 0; i < data->test.count; ++i)
                expected += data->test.labels[static_cast<size_t>(i)] == c;
            QCOMPARE(static_cast<int>(s->count()), expected);
            total += static_cast<int>(s->count());
        }
        QCOMPARE(total, static_cast<int>(kTestImages));
        QCOMPARE(explorer.scatterPoints(), total);
    }

    void evalPanelReportsTheEnginesFigures() {
        EvalPanel panel(&m_doc);
        QSignalSpy done(&panel, &EvalPanel::finished);
        QVERIFY(panel.evaluate());
        QVERIFY(!panel.evaluate());  // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWait);
        QCOMPARE(done.front().front().toBool(), true);
        QVERIFY(panel.reconstructionScores().has_value());

        // The engine's evaluation of the same weights, computed here directly.
        const engine::Network& net = m_doc.project().model();
        const engine::TrainingConfig& c = m_doc.training();
        const engine::DataSplit data = engine::loadData(c.dataset, 0.0, c.seed);
        engine::ComputeContext ctx;
        engine::Model model(net.graph, ctx);
        model.loadWeights(net.weights);
        auto mse = engine::createLoss("mse");
        auto bce = engine::createLoss("bce");
        const double m =
            engine::evaluate(model, data.test, *mse, engine::TargetKind::Reconstruction).loss;
        const double b =
            engine::evaluate(model, data.test, *bce, engine::TargetKind::Reconstruction).loss;
        QVERIFY(std::abs(panel.reconstructionScores()->mse - m) <= 1e-6 * m);
        QVERIFY(std::abs(panel.reconstructionScores()->bce - b) <= 1e-6 * b);
        QCOMPARE(panel.reconstructionScores()->samples, kTestImages);
        QVERIFY(panel.resultText().contains(QString::number(m, 'f', 5)));
    }

    void evalPanelScoresGanSamples() {
        // A GAN with initialised generator weights and a "trained" (initialised) classifier.
        engine::Project gan = engine::loadProject(test::sampleFile("fashion-gan.netloom"));
        gan.training.dataset.limitTrain = 64;
        gan.training.dataset.limitTest = 200;
        for (engine::Network& n : gan.networks) n.weights = initialWeights(n.graph, 3);
        const QString ganPath = test::tempDir() + "/gan.netloom";
        engine::saveProject(gan, ganPath.toStdString());
        engine::Project clf = engine::loadProject(test::sampleFile("fashion-mlp.netloom"));
        clf.model().weights = initialWeights(clf.model().graph, 4);
        const QString clfPath = test::tempDir() + "/classifier.netloom";
        engine::saveProject(clf, clfPath.toStdString());

        GraphDocument doc;
        doc.load(ganPath);
        EvalPanel panel(&doc);
        QSignalSpy done(&panel, &EvalPanel::finished);
        panel.classifierEdit()->setText(QString());
        panel.setScorerSample(QString());  // no classifier and nothing to train one from
        QVERIFY(!panel.evaluate());
        QVERIFY(panel.resultText().contains("Choose a trained classifier"));

        // An untrained classifier: a clear message, nothing crashes.
        panel.classifierEdit()->setText(
            QString::fromStdString(test::sampleFile("fashion-cnn.netloom")));
        QVERIFY(panel.evaluate());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWait);
        QCOMPARE(done.takeFirst().front().toBool(), false);
        QVERIFY2(panel.resultText().contains("no trained weights"), qPrintable(panel.resultText()));

        panel.classifierEdit()->setText(clfPath);
        QVERIFY(panel.evaluate());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWait);
        QVERIFY2(done.takeFirst().front().toBool(), qPrintable(panel.resultText()));
        QVERIFY(panel.ganScores().has_value());
        const engine::GanScores& s = *panel.ganScores();
        QCOMPARE(s.generatedSamples, engine::kGanScoreSamples);
        QCOMPARE(s.realSamples, int64_t{1000});
        // The same computation on this thread gives the same figures.
        engine::ScoreClassifier direct = engine::loadScoreClassifier(clfPath.toStdString());
        const engine::GanScores e = engine::evaluateGan(doc.project(), direct);
        QVERIFY(std::abs(s.generated.score - e.generated.score) <= 1e-6 * e.generated.score);
        QVERIFY(std::abs(s.real.score - e.real.score) <= 1e-6 * e.real.score);
        QCOMPARE(s.generated.classesCovered, e.generated.classesCovered);
        QVERIFY(s.generated.score >= 1.0 && s.generated.score <= 10.0);
        QVERIFY(panel.resultText().contains(QString::number(s.generated.score, 'f', 3)));
    }

    // No classifier chosen: the panel trains the default one (early stopping on a held-out
    // tenth, as `netloom eval` does), caches it, shows its epochs, then scores with it. A small
    // fashion-mlp stands in for the fashion-cnn sample to keep this quick.
    void evalPanelTrainsTheDefaultClassifierOnce() {
        const QString cache = test::tempDir() + "/xdg-cache";
        qputenv("XDG_CACHE_HOME", cache.toUtf8());
        engine::Project gan = engine::loadProject(test::sampleFile("fashion-gan.netloom"));
        gan.training.dataset.limitTest = 200;
        for (engine::Network& n : gan.networks) n.weights = initialWeights(n.graph, 3);
        const QString ganPath = test::tempDir() + "/gan-default-scorer.netloom";
        engine::saveProject(gan, ganPath.toStdString());
        engine::Project small = engine::loadProject(test::sampleFile("fashion-mlp.netloom"));
        small.training.dataset.limitTrain = 1500;
        small.training.dataset.limitTest = 200;
        small.training.threads = 1;
        const QString smallPath = test::tempDir() + "/small-scorer-source.netloom";
        engine::saveProject(small, smallPath.toStdString());

        GraphDocument doc;
        doc.load(ganPath);
        EvalPanel panel(&doc);
        panel.setScorerSample(smallPath);
        panel.classifierEdit()->setText(QString());
        QSignalSpy done(&panel, &EvalPanel::finished);
        QStringList shown;
        QVERIFY(panel.evaluate());
        QVERIFY2(panel.resultText().contains("training fashion-cnn once"),
                 qPrintable(panel.resultText()));
        QTRY_VERIFY_WITH_TIMEOUT((shown << panel.resultText(), done.count() == 1), kWait);
        QVERIFY2(done.takeFirst().front().toBool(), qPrintable(panel.resultText()));
        QVERIFY(
            shown.join('\n').contains("Training the scoring classifier (fashion-cnn, once): "
                                      "epoch 1"));
        const QString cached = cache + "/netloom/fashion-cnn-scorer.netloom";
        QCOMPARE(panel.classifierEdit()->text(), cached);
        const engine::Project scorer = engine::loadProject(cached.toStdString());
        QVERIFY(!scorer.model().weights.empty());
        const engine::RunRecord& run = scorer.history.back();
        QCOMPARE(run.config.earlyStopping, engine::ScorerTrainingRule::patience);
        QCOMPARE(run.config.validationSplit, engine::ScorerTrainingRule::validationSplit);
        QVERIFY(run.epochs.size() <= size_t(engine::ScorerTrainingRule::maxEpochs));
        QVERIFY(panel.ganScores().has_value());
        // The next evaluation uses the cached classifier without training again.
        QVERIFY(panel.evaluate());
        QVERIFY(!panel.resultText().contains("training"));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWait);
        QCOMPARE(engine::loadProject(cached.toStdString()).history.size(), size_t(1));
        qunsetenv("XDG_CACHE_HOME");
    }

    // docs/screenshot-autoencoder.png: NETLOOM_SCREENSHOT_DIR=docs xvfb-run -a -s "-screen 0
    // 1600x1000x24" ui_test_autoencoder_ui windowScreenshot
    void windowScreenshot() {
        const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("NETLOOM_SCREENSHOT_DIR is not set");
        MainWindow w;
        TrainingPanel* panel = installTraining(&w);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(
            QString::fromStdString(test::sampleFile("fashion-autoencoder.netloom"))));
        engine::TrainingConfig c = w.document()->training();
        c.dataset.limitTrain = 6400;
        c.dataset.limitTest = 1000;
        c.epochs = 2;
        w.document()->setTraining(c);
        w.view()->fitGraph();
        if (auto* dock = w.findChild<QDockWidget*>("trainingRunDock")) {
            dock->raise();  // in front of the problems, as Train does
            w.resizeDocks({dock}, {480}, Qt::Vertical);
        }
        auto* controller = w.document()->findChild<TrainingController*>();
        QVERIFY(controller);
        QSignalSpy finished(controller, &TrainingController::finished);
        QVERIFY(panel->startTraining());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 600'000);
        // (The explorer sits in a scroll area: its tab holds the area.)
        for (int i = 0; i < panel->tabs()->count(); ++i)
            if (panel->tabs()->widget(i)->isAncestorOf(panel->latentExplorer()))
                panel->tabs()->setCurrentIndex(i);
        QTRY_VERIFY_WITH_TIMEOUT(panel->reconstructionView()->reconstructions().size() > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->latentExplorer()->stripOutputs().size() > 0, 30000);
        QTest::qWait(300);
        QApplication::processEvents();
        QVERIFY(w.grab().toImage().save(dir + "/screenshot-autoencoder.png"));
    }
};

QTEST_MAIN(TestAutoencoderUi)
#include "test_autoencoder_ui.moc"
