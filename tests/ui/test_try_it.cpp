// Evaluation views and "try it yourself", checked against the engine's own forward pass: the draw
// pad (driven by real mouse events) gives the probabilities of a Model run here on the same
// pixels; a stopped run's weights, saved and reopened, predict identically; the gallery shows the
// engine's predictions; the decision regions and the regression scatter agree with the model;
// each epoch's weights reach the views; an exploding loss pauses the run and says where; past
// runs overlay the charts.
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QtCharts/QLineSeries>
#include <QtTest>
#include <cmath>
#include <numeric>
#include <set>

#include "engine/core/compute.h"
#include "engine/model/model.h"
#include "engine/train/standard_hooks.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/decision_regions.h"
#include "ui/evaluation/draw_pad.h"
#include "ui/evaluation/eval_context.h"
#include "ui/evaluation/prediction_gallery.h"
#include "ui/evaluation/probability_bars.h"
#include "ui/evaluation/regression_scatter.h"
#include "ui/evaluation/try_it_panel.h"
#include "ui/training/data_cache.h"
#include "ui/training/live_weights.h"
#include "ui/training/run_epochs_table.h"
#include "ui/training/run_history_table.h"
#include "ui/training/training_charts.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_panel.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 240'000;  // the machine is slow and shared

bool haveFashion() {
    return QFile::exists(QString::fromStdString(test::fashionDir()) +
                         "/train-images-idx3-ubyte.gz");
}

// fashion-mlp with 640 training and 200 test images.
void configureMlp(GraphDocument& doc, int64_t epochs, int64_t batchSize = 64) {
    doc.load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
    engine::TrainingConfig config = doc.training();
    config.dataset.limitTrain = 640;
    config.dataset.limitTest = 200;
    config.epochs = epochs;
    config.batchSize = batchSize;
    config.threads = 1;
    doc.setTraining(config);
}

bool train(GraphDocument& doc, TrainingController& controller) {
    QSignalSpy finished(&controller, &TrainingController::finished);
    if (!controller.start()) return false;
    return (finished.count() == 1 || finished.wait(kLongWait)) &&
           !doc.project().model().weights.empty();
}

// The engine's answer, computed here: a fresh Model with the document's weights, eval mode.
std::vector<double> engineProbabilities(const GraphDocument& doc, const engine::Tensor& x) {
    engine::ComputeContext ctx;
    engine::Model model(doc.graph(), ctx);
    model.loadWeights(doc.project().model().weights);
    const engine::Tensor& out = model.forward(x, false);
    const int64_t c = out.size() / out.batch();
    std::vector<double> p(static_cast<size_t>(out.size()));
    for (int64_t r = 0; r < out.batch(); ++r) {
        double top = -INFINITY, sum = 0;
        for (int64_t k = 0; k < c; ++k) top = std::max<double>(top, out[r * c + k]);
        for (int64_t k = 0; k < c; ++k) sum += std::exp(out[r * c + k] - top);
        for (int64_t k = 0; k < c; ++k)
            p[static_cast<size_t>(r * c + k)] = std::exp(out[r * c + k] - top) / sum;
    }
    return p;
}

engine::Tensor unitImage(const std::vector<uint8_t>& pixels) {
    engine::Tensor x(std::vector<int64_t>{1, 1, 28, 28});
    for (size_t i = 0; i < pixels.size(); ++i) x[static_cast<int64_t>(i)] = pixels[i] / 255.0f;
    return x;
}

void compareProbabilities(const std::vector<float>& shown, const std::vector<double>& engine) {
    QCOMPARE(shown.size(), engine.size());
    for (size_t i = 0; i < shown.size(); ++i)
        QVERIFY2(std::abs(shown[i] - engine[i]) < 1e-6,
                 qPrintable(QString("class %1: %2 vs %3").arg(i).arg(shown[i]).arg(engine[i])));
}

std::shared_ptr<const engine::DataSplit> dataOf(const GraphDocument& doc) {
    const auto& t = doc.training();
    return DataCache::instance().load(t.dataset, t.validationSplit, t.seed);
}

// Input {2} → Dense 16 → Tanh → Dense 16 → Tanh → Dense classes, on a synthetic set.
engine::Project pointsProject(const std::string& kind, int64_t classes, const std::string& task) {
    using namespace engine;
    Project p;
    Network& net = p.model();
    auto add = [&](const std::string& id, const std::string& type, Params params) {
        net.graph.addNode(Node{id, type, id, params});
        net.layout[id] = NodeUi{0, 0, ""};
    };
    Params in;
    in.set("shape", std::string("2"));
    Params h;
    h.set("units", int64_t{16});
    Params out;
    out.set("units", classes);
    add("in", "Input", in);
    add("d1", "Dense", h);
    add("t1", "Tanh", {});
    add("d2", "Dense", h);
    add("t2", "Tanh", {});
    add("out", "Dense", out);
    const char* chain[] = {"in", "d1", "t1", "d2", "t2", "out"};
    for (int i = 0; i + 1 < 6; ++i) net.graph.connect({chain[i], 0, chain[i + 1], 0});
    p.training.task = task;
    p.training.loss = task == "classification" ? "cross_entropy" : "mse";
    p.training.optimizer.type = "adam";
    p.training.optimizer.lr = 0.01;
    p.training.batchSize = 32;
    p.training.epochs = 15;
    p.training.threads = 1;
    p.training.dataset.kind = kind;
    p.training.dataset.synthetic = "gaussians";
    p.training.dataset.syntheticSamples = 600;
    p.training.dataset.syntheticNoise = 0.1;
    p.name = "points";
    return p;
}

}  // namespace

class TestTryIt : public QObject {
    Q_OBJECT
    GraphDocument m_doc;  // fashion-mlp trained for one epoch, shared by the image tests
    std::unique_ptr<TrainingController> m_controller;

private slots:
    void initTestCase() {
        test::isolateSettings();
        if (!haveFashion()) QSKIP("Fashion-MNIST is not installed");
        configureMlp(m_doc, 1);
        m_controller = std::make_unique<TrainingController>(&m_doc);
        QVERIFY(train(m_doc, *m_controller));
    }

    void drawPadGivesTheEnginesProbabilities() {
        LiveWeights live(&m_doc, m_controller.get());
        TryItPanel panel(&live);
        panel.resize(340, 640);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QTRY_COMPARE_WITH_TIMEOUT(panel.mode(), TryItPanel::Mode::DrawPad, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(panel.bars()->probabilities().size() == 10, 20000);
        QCOMPARE(panel.bars()->label(1), QString("Trouser"));

        DrawPad* pad = panel.pad();
        QVERIFY(pad->isEmpty());
        const QRect r = pad->rect();
        const int side = std::min(r.width(), r.height());
        const QPoint origin((r.width() - side) / 2, (r.height() - side) / 2);
        auto at = [&](double fx, double fy) {
            return origin + QPoint(static_cast<int>(fx * side), static_cast<int>(fy * side));
        };
        // A pair of trouser legs: two strokes from top to bottom, as a user would draw them.
        for (double x : {0.38, 0.62}) {
            QTest::mousePress(pad, Qt::LeftButton, {}, at(x, 0.15));
            for (double y = 0.2; y <= 0.85; y += 0.05) QTest::mouseMove(pad, at(x, y));
            QTest::mouseRelease(pad, Qt::LeftButton, {}, at(x, 0.85));
        }
        const std::vector<uint8_t> pixels = pad->pixels();
        QVERIFY(!pad->isEmpty());
        int ink = 0, soft = 0;
        for (uint8_t v : pixels) ink += v > 200, soft += v > 0 && v < 200;
        QVERIFY2(ink > 30 && soft > 20, qPrintable(QString("%1 full, %2 soft").arg(ink).arg(soft)));
        QVERIFY(pixels[14 * 28 + 14] == 0);  // between the legs stays black
        compareProbabilities(panel.bars()->probabilities(),
                             engineProbabilities(m_doc, unitImage(pixels)));

        // Erasing with the right button changes the picture and the answer follows.
        QTest::mousePress(pad, Qt::RightButton, {}, at(0.38, 0.5));
        QTest::mouseRelease(pad, Qt::RightButton, {}, at(0.38, 0.6));
        QVERIFY(pad->pixels() != pixels);
        compareProbabilities(panel.bars()->probabilities(),
                             engineProbabilities(m_doc, unitImage(pad->pixels())));

        // A picked test image: exactly its pixels, its true class marked.
        const auto data = dataOf(m_doc);
        QVERIFY(panel.pickTestImage(5));
        QCOMPARE(panel.pickedIndex(), int64_t{5});
        const std::vector<uint8_t> expected(data->test.pixels.begin() + 5 * 784,
                                            data->test.pixels.begin() + 6 * 784);
        QCOMPARE(pad->pixels(), expected);
        compareProbabilities(panel.bars()->probabilities(),
                             engineProbabilities(m_doc, unitImage(expected)));
        QVERIFY(!panel.pickTestImage(data->test.count));  // out of range: refused

        panel.clearButton()->click();
        QVERIFY(pad->isEmpty());
        QCOMPARE(panel.pickedIndex(), int64_t{-1});
        compareProbabilities(panel.bars()->probabilities(),
                             engineProbabilities(m_doc, unitImage(pad->pixels())));
    }

    void stoppedWeightsSaveAndReopenToIdenticalPredictions() {
        GraphDocument doc;
        configureMlp(doc, 1000, 16);
        TrainingController controller(&doc);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(controller.start());
        QTRY_VERIFY_WITH_TIMEOUT(controller.engineStep() >= 25, kLongWait);
        controller.stop();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QCOMPARE(finished.at(0).at(0).value<engine::RunRecord>().status, std::string("stopped"));
        QVERIFY(!doc.project().model().weights.empty());

        LiveWeights live(&doc, &controller);
        TryItPanel before(&live);
        before.show();
        QTRY_VERIFY_WITH_TIMEOUT(before.pickTestImage(17), 20000);
        const std::vector<float> p1 = before.bars()->probabilities();
        QCOMPARE(p1.size(), size_t{10});

        const QString path = test::tempDir() + "/stopped.netloom";
        doc.save(path);
        GraphDocument reopened;
        reopened.load(path);
        QCOMPARE(reopened.project().history.back().status, std::string("stopped"));
        LiveWeights live2(&reopened, nullptr);
        TryItPanel after(&live2);
        after.show();
        QTRY_VERIFY_WITH_TIMEOUT(after.pickTestImage(17), 20000);
        QCOMPARE(after.bars()->probabilities(), p1);  // bit for bit
        QCOMPARE(after.pad()->pixels(), before.pad()->pixels());
    }

    void galleryShowsTheEnginesPredictions() {
        LiveWeights live(&m_doc, m_controller.get());
        PredictionGallery gallery(&live);
        gallery.resize(480, 360);
        gallery.show();
        QTRY_VERIFY_WITH_TIMEOUT(!gallery.predictedClasses().empty(), 20000);
        const auto data = dataOf(m_doc);
        const std::vector<int64_t>& idx = gallery.indices();
        QCOMPARE(idx.size(), size_t{PredictionGallery::kImages});
        // Two of each class, in class order: the first ones of the test set.
        for (size_t i = 0; i < idx.size(); ++i) {
            const int label = data->test.labels[static_cast<size_t>(idx[i])];
            QCOMPARE(gallery.trueClasses()[i], label);
            QCOMPARE(label, static_cast<int>(i / 2));
            for (int64_t j = i % 2 ? idx[i - 1] + 1 : 0; j < idx[i]; ++j)
                QVERIFY(data->test.labels[static_cast<size_t>(j)] != label);
        }

        engine::Tensor x;
        data->test.fillBatch(idx.data(), static_cast<int64_t>(idx.size()), x, nullptr);
        const std::vector<double> p = engineProbabilities(m_doc, x);
        int mistakes = 0;
        for (size_t i = 0; i < idx.size(); ++i) {
            const auto row = p.begin() + static_cast<long>(i * 10);
            const int best = static_cast<int>(std::max_element(row, row + 10) - row);
            QCOMPARE(gallery.predictedClasses()[i], best);
            QVERIFY(std::abs(gallery.confidences()[i] - row[best]) < 1e-6);
            mistakes += best != gallery.trueClasses()[i];
        }
        QCOMPARE(gallery.mistakes(), mistakes);
        QVERIFY(!gallery.grab().toImage().isNull());
        // Tiles map back to their images; a double-click asks to try that image.
        QSignalSpy activated(&gallery, &PredictionGallery::imageActivated);
        const QPoint tile4 = [&] {
            for (int y = 2; y < gallery.height(); y += 4)
                for (int x = 2; x < gallery.width(); x += 4)
                    if (gallery.tileAt({x, y}) == 4) return QPoint(x, y);
            return QPoint(-1, -1);
        }();
        QVERIFY(tile4.x() >= 0);
        QTest::mouseDClick(&gallery, Qt::LeftButton, {}, tile4);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toLongLong(), idx[4]);
    }

    void eachEpochsWeightsReachTheViews() {
        GraphDocument doc;
        configureMlp(doc, 3);
        TrainingController controller(&doc);
        LiveWeights live(&doc, &controller);
        std::vector<std::shared_ptr<const engine::WeightSet>> seen;
        bool consistent = true;
        connect(&controller, &TrainingController::epochWeights, this,
                [&](std::shared_ptr<const engine::WeightSet> w, qint64 epoch) {
                    consistent = consistent && live.weights() == w && live.epoch() == epoch &&
                                 epoch == static_cast<qint64>(seen.size()) + 1;
                    seen.push_back(w);
                });
        QVERIFY(live.weights() == nullptr);  // untrained
        QVERIFY(train(doc, controller));
        QCOMPARE(seen.size(), size_t{3});
        QVERIFY(consistent);
        QVERIFY(seen[0] && seen[2] && seen[0] != seen[2]);
        // The last epoch's weights are the run's final weights, now in the document.
        const engine::WeightSet& final = doc.project().model().weights;
        QCOMPARE(seen[2]->size(), final.size());
        for (const auto& [id, tensors] : final)
            for (const auto& [name, t] : tensors)
                QCOMPARE(seen[2]->at(id).at(name).storage(), t.storage());
        QCOMPARE(live.epoch(), qint64{0});  // back to the document's weights
        QVERIFY(live.weights() && !live.weights()->empty());
        QVERIFY(controller.resetWeights());
        QVERIFY(live.weights() == nullptr);
    }

    void decisionRegionsFollowTheModel() {
        GraphDocument doc;
        doc.reset(pointsProject("synthetic", 4, "classification"));
        QVERIFY2(doc.analysis().ok(), doc.analysis().firstProblem().c_str());
        TrainingController controller(&doc);
        LiveWeights live(&doc, &controller);
        TryItPanel panel(&live);
        panel.resize(360, 420);
        panel.show();
        QTRY_COMPARE_WITH_TIMEOUT(panel.mode(), TryItPanel::Mode::Regions, 20000);
        DecisionRegions* regions = panel.regions();
        QTRY_VERIFY_WITH_TIMEOUT(!regions->message().isEmpty(), 20000);  // "press Train"
        QVERIFY(regions->cellClasses().empty());
        QVERIFY(train(doc, controller));
        QTRY_VERIFY_WITH_TIMEOUT(!regions->cellClasses().empty(), 20000);
        regions->context()->refreshNow();

        // Every 7th cell: the class of the engine's forward pass at the cell centre.
        std::vector<QPointF> centres;
        std::vector<int> shown;
        for (int i = 0; i < DecisionRegions::kGrid * DecisionRegions::kGrid; i += 7) {
            centres.push_back(
                regions->cellCentre(i % DecisionRegions::kGrid, i / DecisionRegions::kGrid));
            shown.push_back(regions->cellClasses()[static_cast<size_t>(i)]);
        }
        engine::Tensor x(std::vector<int64_t>{static_cast<int64_t>(centres.size()), 2});
        for (size_t i = 0; i < centres.size(); ++i) {
            x[static_cast<int64_t>(2 * i)] = static_cast<float>(centres[i].x());
            x[static_cast<int64_t>(2 * i + 1)] = static_cast<float>(centres[i].y());
        }
        const std::vector<double> p = engineProbabilities(doc, x);
        std::set<int> classes;
        for (size_t i = 0; i < centres.size(); ++i) {
            const auto row = p.begin() + static_cast<long>(i * 4);
            QCOMPARE(shown[i], static_cast<int>(std::max_element(row, row + 4) - row));
            classes.insert(shown[i]);
        }
        QCOMPARE(classes.size(), size_t{4});
        // The regions separate the four blobs: the test points lie in their own class's region.
        const auto data = dataOf(doc);
        int agree = 0;
        for (int64_t i = 0; i < data->test.count; ++i)
            agree +=
                regions->classAt({data->test.features[2 * i], data->test.features[2 * i + 1]}) ==
                data->test.labels[static_cast<size_t>(i)];
        QVERIFY2(agree >= 0.9 * data->test.count,
                 qPrintable(QString("%1 of %2").arg(agree).arg(data->test.count)));
        QVERIFY(!regions->grab().toImage().isNull());
    }

    void regressionScatterPlotsPredictedAgainstTrue() {
        const QString csv = test::tempDir() + "/plane.csv";
        {
            QFile f(csv);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Text));
            f.write("x1,x2,y\n");
            for (int i = 0; i < 400; ++i) {
                const double a = std::sin(i * 0.37), b = std::cos(i * 0.91);
                f.write(QString("%1,%2,%3\n").arg(a).arg(b).arg(2 * a - b + 0.123).toUtf8());
            }
        }
        GraphDocument doc;
        engine::Project p = pointsProject("csv", 1, "regression");
        p.training.dataset.csvPath = csv.toStdString();
        p.training.dataset.csvTarget = "y";
        p.training.epochs = 5;
        doc.reset(p);
        TrainingController controller(&doc);
        LiveWeights live(&doc, &controller);
        TrainingPanel panel(&controller, &doc);
        panel.resize(1400, 360);
        panel.show();
        QVERIFY(panel.scatter()->isVisible());
        QVERIFY(!panel.tabs()->isTabVisible(panel.tabs()->indexOf(panel.gallery())));
        QVERIFY(train(doc, controller));
        RegressionScatter* scatter = panel.scatter();
        const auto data = dataOf(doc);
        engine::Tensor x;
        std::vector<int64_t> idx(static_cast<size_t>(data->test.count));
        std::iota(idx.begin(), idx.end(), 0);
        data->test.fillBatch(idx.data(), data->test.count, x, nullptr);
        engine::ComputeContext ctx;
        engine::Model model(doc.graph(), ctx);
        model.loadWeights(doc.project().model().weights);
        const engine::Tensor& out = model.forward(x, false);
        // The scatter may still show an epoch's weights until its coalesced refresh picks up the
        // final ones (slow under the sanitizer): wait for the final weights' last point.
        const int64_t last = data->test.count - 1;
        QTRY_VERIFY_WITH_TIMEOUT(
            scatter->points().size() == data->test.count &&
                qFuzzyCompare(scatter->points()[last].y(), static_cast<double>(out[last])),
            20000);
        const QList<QPointF> pts = scatter->points();
        QCOMPARE(pts.size(), qsizetype{data->test.count});  // 80 test rows, under the cap
        for (int64_t i = 0; i < data->test.count; ++i) {
            QCOMPARE(pts[i].x(), static_cast<double>(data->test.targets[static_cast<size_t>(i)]));
            QCOMPARE(pts[i].y(), static_cast<double>(out[i]));
        }
    }

    void lossWatch_data() {
        QTest::addColumn<QList<double>>("losses");
        QTest::addColumn<double>("factor");
        QTest::addColumn<int>("firesAt");  // 1-based batch, 0 = never
        const QList<double> calm = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1.5, 1.2, 1.0, 0.9};
        QTest::newRow("calm run") << calm << 1000.0 << 0;
        QList<double> boom = calm;
        boom << 5000 << 1e9;
        QTest::newRow("explodes") << boom << 1000.0 << 15;
        QList<double> early = {2, 2, 1e9, 2, 2, 2, 2, 2, 2, 2, 2};
        QTest::newRow("spike inside the reference is not compared") << early << 1000.0 << 0;
        QTest::newRow("strict factor") << calm << 0.5 << 11;
        QTest::newRow("fires once")
            << QList<double>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2e3, 3e3, 4e3} << 1000.0 << 11;
    }

    void lossWatch() {
        QFETCH(QList<double>, losses);
        QFETCH(double, factor);
        QFETCH(int, firesAt);
        engine::LossWatch watch(factor);
        int fired = 0, count = 0;
        std::string message;
        for (int i = 0; i < losses.size(); ++i) {
            engine::RunEvent ev;
            ev.kind = engine::RunEvent::Kind::Step;
            ev.epoch = 2;
            ev.stepInEpoch = i + 1;
            ev.step = i + 101;
            ev.metrics.set("loss", losses[i]);
            std::string m = watch.check(ev);
            if (!m.empty()) {
                ++count;
                if (!fired) fired = i + 1, message = m;
            }
        }
        QCOMPARE(fired, firesAt);
        QVERIFY(count <= 1);
        if (firesAt)
            QVERIFY2(message.find("epoch 2, batch " + std::to_string(firesAt) + " (step " +
                                  std::to_string(firesAt + 100) + ")") != std::string::npos,
                     message.c_str());
    }

    void explodingLossPausesTheRunAndSaysWhere() {
        GraphDocument doc;
        configureMlp(doc, 1000, 16);
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        // A factor under 1 "explodes" as soon as the reference is taken: the plumbing under test.
        controller.setExplosionFactor(0.01);
        QSignalSpy paused(&controller, &TrainingController::healthPaused);
        QSignalSpy finished(&controller, &TrainingController::finished);
        QVERIFY(panel.startTraining());
        QVERIFY(paused.count() == 1 || paused.wait(kLongWait));
        QCOMPARE(controller.state(), TrainingController::State::Paused);
        const QString message = paused.at(0).at(0).toString();
        QVERIFY2(message.contains("epoch 1, batch 11 (step 11)"), qPrintable(message));
        QCOMPARE(panel.healthText(), message);
        QCOMPARE(panel.pauseButton()->text(), QString("Resume"));
        QTest::qWait(500);
        QVERIFY2(controller.engineStep() <= 12,
                 qPrintable(QString::number(controller.engineStep())));
        controller.stop();
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QCOMPARE(finished.at(0).at(0).value<engine::RunRecord>().status, std::string("stopped"));
        QCOMPARE(paused.count(), 1);
    }

    void pastRunsOverlayTheChartsAndListTheirEpochs() {
        GraphDocument doc;
        configureMlp(doc, 2);
        for (int run = 0; run < 2; ++run) {
            engine::RunRecord r;
            r.started = "2026-01-0" + std::to_string(run + 1) + "T10:00:00Z";
            r.status = "finished";
            r.config = doc.training();
            r.seconds = 10 + run;
            for (int e = 1; e <= 3 + run; ++e)
                r.epochs.push_back({e, 1.0 / e, 0.5 + 0.1 * e, 1.2 / e + run, 0.4 + 0.1 * e, 2.5});
            doc.appendRun(r);
        }
        TrainingController controller(&doc);
        TrainingPanel panel(&controller, &doc);
        RunHistoryTable* runs = panel.historyTable();
        runs->refresh();
        QCOMPARE(runs->rowCount(), 2);
        QCOMPARE(runs->item(0, RunHistoryTable::Show)->text(), QString("Run 2"));  // newest first
        QVERIFY(runs->item(0, RunHistoryTable::Settings)->text().contains("batch 64"));
        QVERIFY(panel.charts()->overlayLossSeries().isEmpty());

        runs->item(1, RunHistoryTable::Show)->setCheckState(Qt::Checked);  // run 1
        QCOMPARE(panel.charts()->overlayLossSeries().size(), 1);
        const QList<QPointF> loss = panel.charts()->overlayLossSeries()[0]->points();
        const QList<QPointF> acc = panel.charts()->overlayAccuracySeries()[0]->points();
        const engine::RunRecord& first = doc.project().history[0];
        QCOMPARE(loss.size(), qsizetype{3});
        for (int e = 0; e < 3; ++e) {
            QCOMPARE(loss[e], QPointF(e + 1, first.epochs[e].valLoss));
            QCOMPARE(acc[e], QPointF(e + 1, first.epochs[e].valAccuracy));
        }
        QCOMPARE(panel.charts()->overlayLossSeries()[0]->name(), QString("Run 1"));
        runs->item(0, RunHistoryTable::Show)->setCheckState(Qt::Checked);
        QCOMPARE(panel.charts()->overlayLossSeries().size(), 2);
        runs->item(1, RunHistoryTable::Show)->setCheckState(Qt::Unchecked);
        QCOMPARE(panel.charts()->overlayLossSeries().size(), 1);
        QCOMPARE(panel.charts()->overlayLossSeries()[0]->points().size(), qsizetype{4});

        // Selecting a run lists its epochs.
        runs->selectRow(0);
        RunEpochsTable* epochs = panel.epochsTable();
        QCOMPARE(epochs->rowCount(), 4);
        QCOMPARE(epochs->item(3, RunEpochsTable::ValLoss)->text(),
                 QString::number(doc.project().history[1].epochs[3].valLoss, 'g', 4));
        QCOMPARE(epochs->item(0, RunEpochsTable::ValAccuracy)->text(), QString("50.0 %"));
    }
};

QTEST_MAIN(TestTryIt)
#include "test_try_it.moc"
