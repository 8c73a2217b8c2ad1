// GANs in the window: the generator and the discriminator on one canvas (tabs, undo per
// network, shapes on edges) and a real adversarial run on Fashion-MNIST (limited for speed)
// through GanTrainingController and the GAN panel: live sample grids with their history, both
// networks' weights in the document, seeded "New samples" that survive save and reopen, the
// latent walk, and PNG export. With NETLOOM_SCREENSHOT_DIR set the run trains longer and the
// window is saved as screenshot-gan.png:
//   NETLOOM_SCREENSHOT_DIR=docs xvfb-run -a -s "-screen 0 1600x1000x24" ui_test_gan_ui
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QGraphicsItem>
#include <QGroupBox>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <QtTest>
#include <algorithm>
#include <cstdlib>
#include <set>

#include "engine/project/network_roles.h"
#include "engine/train/gan.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/edge_item.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/node_item.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/document/graph_document.h"
#include "ui/evaluation/eval_panel.h"
#include "ui/training/gan_panel.h"
#include "ui/training/gan_training_controller.h"
#include "ui/training/metric_chart.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"
#include "ui/widgets/image_grid.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 120'000;  // the machine is slow and shared

QString shotDir() {
    return qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
}

QString ganSample() {
    return QString::fromStdString(test::sampleFile("fashion-gan.netloom"));
}

std::set<std::string> sceneNodeIds(GraphScene* scene, const engine::Graph& graph) {
    std::set<std::string> ids;
    for (const engine::Node& n : graph.nodes())
        if (scene->nodeItem(n.id)) ids.insert(n.id);
    return ids;
}

int countNodeItems(GraphScene* scene) {
    int n = 0;
    for (QGraphicsItem* item : scene->items())
        if (dynamic_cast<NodeItem*>(item)) ++n;
    return n;
}

const engine::Node* nodeOfType(const engine::Graph& g, const std::string& type) {
    for (const engine::Node& n : g.nodes())
        if (n.type == type) return &n;
    return nullptr;
}

// A short run: 640 images, batch 64 → 10 iterations per epoch; a grid every 2 iterations.
void shortenRun(GraphDocument* doc, int64_t epochs, int64_t images = 640) {
    engine::TrainingConfig c = doc->training();
    c.dataset.limitTrain = images;
    c.dataset.limitTest = 100;
    c.epochs = epochs;
    c.batchSize = 64;
    c.threads = 1;
    c.gan.sampleEvery = 2;
    c.gan.sampleCount = 16;
    doc->setTraining(c);
}

bool sameImages(const std::vector<QImage>& a, const std::vector<QImage>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

// Largest grey-level difference between two pictures of one size (255 when sizes differ).
int maxGrayDiff(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 255;
    int worst = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            worst = std::max(worst, std::abs(qGray(a.pixel(x, y)) - qGray(b.pixel(x, y))));
    return worst;
}

bool allIdentical(const std::vector<QImage>& images) {
    for (const QImage& img : images)
        if (img != images.front()) return false;
    return true;
}

}  // namespace

class TestGanUi : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        test::isolateSettings();
        setPrompter(&m_prompter);  // no modal dialog can block a test
        if (!QFile::exists(ganSample())) QSKIP("samples/fashion-gan.netloom is missing");
    }

    void tabsShowEachNetwork() {
        MainWindow w;
        QTabBar* tabs = w.networkTabs();
        QVERIFY(tabs);
        QVERIFY(tabs->isHidden());  // a blank project has one network
        QVERIFY(w.openFile(ganSample()));
        GraphDocument* doc = w.document();
        QCOMPARE(doc->networkCount(), 2);
        QCOMPARE(tabs->count(), 2);
        QVERIFY(!tabs->isHidden());
        const engine::Project& p = doc->project();
        const int g = networkIndex(p, engine::kGeneratorRole);
        const int d = networkIndex(p, engine::kDiscriminatorRole);
        QVERIFY(g >= 0 && d >= 0);
        QCOMPARE(tabs->tabText(g), QString("Generator"));
        QCOMPARE(tabs->tabText(d), QString("Discriminator"));
        QCOMPARE(doc->activeNetwork(), 0);

        QSignalSpy switched(doc, &GraphDocument::activeNetworkChanged);
        for (int index : {d, g, d}) {
            tabs->setCurrentIndex(index);
            QCOMPARE(doc->activeNetwork(), index);
            const engine::Graph& graph = p.networks[static_cast<size_t>(index)].graph;
            QCOMPARE(&doc->graph(), &graph);
            QCOMPARE(countNodeItems(w.scene()), static_cast<int>(graph.nodes().size()));
            QCOMPARE(sceneNodeIds(w.scene(), graph).size(), graph.nodes().size());
        }
        QCOMPARE(switched.count(), 3);
        // The discriminator starts with an Input and no Noise; the generator the other way.
        QVERIFY(nodeOfType(doc->graph(), "Input"));
        QVERIFY(!nodeOfType(doc->graph(), "Noise"));

        // Problems and the summary follow: the analysis is the shown network's.
        QVERIFY(doc->analysis().ok());
        QVERIFY(doc->analysis().nodes.count(nodeOfType(doc->graph(), "Input")->id));

        // Opening a one-network project hides the tabs and goes back to network 0.
        QVERIFY(w.openFile(QString::fromStdString(test::sampleFile("fashion-mlp.netloom"))));
        QCOMPARE(doc->activeNetwork(), 0);
        QVERIFY(tabs->isHidden());
        doc->setActiveNetwork(5);  // out of range: ignored
        QCOMPARE(doc->activeNetwork(), 0);
    }

    void edgeShapesFollowTheNetwork() {
        MainWindow w;
        QVERIFY(w.openFile(ganSample()));
        GraphDocument* doc = w.document();
        const int g = networkIndex(doc->project(), engine::kGeneratorRole);
        const int d = networkIndex(doc->project(), engine::kDiscriminatorRole);
        doc->setActiveNetwork(g);
        const engine::Shape gOut = doc->analysis().nodes.at(doc->analysis().outputNode).output;
        QCOMPARE(gOut.elements(), int64_t{784});
        doc->setActiveNetwork(d);
        const engine::Node* input = nodeOfType(doc->graph(), "Input");
        QVERIFY(input);
        int checked = 0;
        for (const engine::Edge& e : doc->graph().edges()) {
            EdgeItem* item = w.scene()->edgeItem(e);
            QVERIFY(item);
            const QString shape =
                QString::fromStdString(doc->nodeAnalysis(e.from)->output.toString());
            QVERIFY2(item->toolTip().endsWith(shape), qPrintable(item->toolTip()));
            if (e.from == input->id) {
                // What D takes is what G makes.
                QCOMPARE(shape, QString::fromStdString(gOut.toString()));
                ++checked;
            }
        }
        QCOMPARE(checked, 1);
    }

    void undoAppliesToTheNetworkItWasMadeOn() {
        GraphDocument doc;
        doc.load(ganSample());
        const int g = networkIndex(doc.project(), engine::kGeneratorRole);
        const int d = networkIndex(doc.project(), engine::kDiscriminatorRole);
        doc.setActiveNetwork(g);
        const engine::Graph gBefore = doc.graph();
        const engine::Graph dBefore = doc.project().networks[static_cast<size_t>(d)].graph;
        const engine::Node* dense = nodeOfType(doc.graph(), "Dense");
        QVERIFY(dense);
        const std::string denseId = dense->id;

        // Three kinds of edit on G: parameter, rename, structure (delete a layer).
        doc.undoStack()->push(new SetParamCommand(&doc, denseId, "units", int64_t{128}));
        doc.undoStack()->push(new RenameCommand(&doc, denseId, "g_first"));
        const std::string last = doc.analysis().outputNode;
        doc.undoStack()->push(new DeleteCommand(&doc, {last}, {}));
        QVERIFY(!(doc.graph() == gBefore));

        doc.setActiveNetwork(d);
        QVERIFY(doc.graph() == dBefore);
        doc.undoStack()->undo();  // the delete: back on G, D untouched
        QCOMPARE(doc.activeNetwork(), g);
        QVERIFY(doc.graph().findNode(last));
        QVERIFY(doc.project().networks[static_cast<size_t>(d)].graph == dBefore);

        doc.setActiveNetwork(d);
        doc.undoStack()->undo();
        doc.undoStack()->undo();
        QCOMPARE(doc.activeNetwork(), g);
        QVERIFY(doc.graph() == gBefore);
        QVERIFY(doc.project().networks[static_cast<size_t>(d)].graph == dBefore);

        // An edit on D, redo of G's edits from D: each lands on its own network.
        doc.setActiveNetwork(d);
        doc.undoStack()->redo();  // SetParam on G
        QCOMPARE(doc.activeNetwork(), g);
        QCOMPARE(doc.graph().node(denseId).params.getInt("units"), int64_t{128});
        QVERIFY(doc.project().networks[static_cast<size_t>(d)].graph == dBefore);
        // Moves are per network too.
        doc.setActiveNetwork(d);
        const std::string dInput = nodeOfType(doc.graph(), "Input")->id;
        const QPointF oldPos = doc.nodePos(dInput);
        doc.undoStack()->push(new MoveNodesCommand(&doc, {{dInput, oldPos + QPointF(40, 0)}}));
        doc.setActiveNetwork(g);
        doc.undoStack()->undo();
        QCOMPARE(doc.activeNetwork(), d);
        QCOMPARE(doc.nodePos(dInput), oldPos);
    }

    void ganRunThroughTheWindow() {
        test::ScriptedPrompter prompter;
        setPrompter(&prompter);
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        const QString saved = test::tempDir() + "/gan-ui-trained.netloom";
        std::vector<QImage> before, runLast;
        {
            MainWindow w;
            installTraining(&w);
            auto* panel = w.findChild<GanPanel*>();
            QVERIFY(panel);
            w.resize(1600, 1000);
            QVERIFY(w.openFile(ganSample()));
            GraphDocument* doc = w.document();
            const bool shots = !shotDir().isEmpty();
            shortenRun(doc, shots ? 4 : 2, shots ? 12800 : 640);
            if (shots) {
                engine::TrainingConfig c = doc->training();
                c.gan.sampleEvery = 50;
                doc->setTraining(c);
                w.show();
                QVERIFY(QTest::qWaitForWindowExposed(&w));
            }
            auto* pages = qobject_cast<QStackedWidget*>(panel->parentWidget());
            QVERIFY(pages);
            QCOMPARE(pages->currentWidget(),
                     static_cast<QWidget*>(panel));  // the GAN page, not the classifier's
            QVERIFY(!panel->showNewSamples(1));      // untrained: a clear message, no crash
            QVERIFY(panel->statusText().contains("Train"));

            GanTrainingController* controller = panel->controller();
            QSignalSpy finished(controller, &GanTrainingController::finished);
            QSignalSpy failed(controller, &GanTrainingController::failed);
            QSignalSpy grids(controller, &GanTrainingController::samplesArrived);
            w.action("train")->trigger();
            QVERIFY(controller->isActive());
            QVERIFY(!w.view()->isInteractive());  // the graph is locked during a GAN run
            QVERIFY(!w.action("delete")->isEnabled());
            // Tabs still switch (viewing is fine while training).
            w.networkTabs()->setCurrentIndex(1);
            QCOMPARE(doc->activeNetwork(), 1);
            QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
            QCOMPARE(failed.count(), 0);
            QVERIFY(w.view()->isInteractive());

            // Both networks' weights are in the document, with the run.
            const engine::GanNetworks nets = engine::ganNetworks(doc->project());
            QVERIFY(!nets.generator->weights.empty());
            QVERIFY(!nets.discriminator->weights.empty());
            QCOMPARE(doc->project().history.size(), size_t{1});
            QCOMPARE(doc->project().history.back().status, std::string("finished"));
            QCOMPARE(doc->project().history.back().epochs.size(),
                     static_cast<size_t>(doc->training().epochs));
            QVERIFY(doc->isModified());

            if (shots) {
                w.networkTabs()->setCurrentIndex(0);
                w.view()->fitGraph();
                if (auto* dock = w.findChild<QDockWidget*>("trainingRunDock")) {
                    dock->show();
                    dock->raise();
                    w.resizeDocks({dock}, {460}, Qt::Vertical);
                }
                panel->walkSlider()->setValue(40);
                QTest::qWait(300);
                QApplication::processEvents();
                QVERIFY(w.grab().toImage().save(shotDir() + "/screenshot-gan.png"));
                setPrompter(&m_prompter);
                return;  // the checks below assume the short run
            }
            // The chart got every iteration (2 epochs × 10), finite.
            panel->refreshChart();
            QCOMPARE(panel->dLossSeries()->count(), 20);
            QCOMPARE(panel->gLossSeries()->count(), 20);
            QCOMPARE(panel->realAccuracySeries()->count(), 20);
            for (const QPointF& pt : panel->gLossSeries()->points())
                QVERIFY(std::isfinite(pt.y()) && pt.y() > 0);
            for (const QPointF& pt : panel->fakeAccuracySeries()->points())
                QVERIFY(pt.y() >= 0 && pt.y() <= 1);

            // The grid shows the last one of many; they differ; scrubbing changes the grid.
            QVERIFY(grids.count() > 1);
            QCOMPARE(panel->gridCount(), grids.count());
            ImageGrid* grid = panel->sampleGrid();
            QCOMPARE(grid->images().size(), size_t{16});
            QCOMPARE(grid->images().front().size(), QSize(28, 28));
            QVERIFY(!allIdentical(grid->images()));
            QSlider* history = panel->historySlider();
            QVERIFY(history->isEnabled());
            QCOMPARE(history->maximum(), panel->gridCount() - 1);
            QCOMPARE(history->value(), history->maximum());
            QCOMPARE(panel->historyLabel()->text(), QString("iteration 20"));
            const std::vector<QImage> last = grid->images();
            runLast = last;
            history->setValue(0);
            QCOMPARE(panel->historyLabel()->text(), QString("iteration 2"));
            QVERIFY(!sameImages(grid->images(), last));
            history->setValue(history->maximum());
            QVERIFY(sameImages(grid->images(), last));

            // The last grid is the saved generator on the run's fixed noise.
            const engine::Tensor fixed =
                engine::generateSamples(nets.generator->graph, nets.generator->weights,
                                        engine::fixedNoise(nets.generator->graph, doc->training()));
            QCOMPARE(fixed.batch(), int64_t{16});
            int worst = 0;  // the GUI thread's rounding may differ from the training thread's
            for (int i = 0; i < 16; ++i)
                worst = std::max(worst, maxGrayDiff(ImageGrid::fromValues(fixed.data() + i * 784,
                                                                          28, 28, -1.0f, 1.0f),
                                                    last[size_t(i)]));
            QVERIFY2(worst <= 1, qPrintable(QString::number(worst)));

            // New samples: seeded, so the same seed gives the same pictures.
            QVERIFY(panel->showNewSamples(42));
            before = grid->images();
            QCOMPARE(before.size(), size_t{16});
            QVERIFY(!allIdentical(before));
            QVERIFY(panel->showNewSamples(43));
            QVERIFY(!sameImages(grid->images(), before));
            QVERIFY(panel->showNewSamples(42));
            QVERIFY(sameImages(grid->images(), before));

            // Latent walk: 8 steps between two noise vectors; the slider moves the picture.
            QCOMPARE(panel->walkStrip()->images().size(), size_t{8});
            QVERIFY(panel->walkStrip()->images().front() != panel->walkStrip()->images().back());
            QSlider* walk = panel->walkSlider();
            QVERIFY(walk->isEnabled());
            walk->setValue(walk->minimum());
            const QImage start = panel->walkImage()->images().at(0);
            // t = 0 is z₀ and t = 1 is z₁ (a batch of 1 may round unlike a batch of 8).
            QVERIFY(maxGrayDiff(start, panel->walkStrip()->images().front()) <= 1);
            walk->setValue(walk->maximum());
            const QImage end = panel->walkImage()->images().at(0);
            QVERIFY(maxGrayDiff(end, panel->walkStrip()->images().back()) <= 1);
            QVERIFY(maxGrayDiff(end, start) > 10);

            QVERIFY(w.saveTo(saved));
        }
        {
            // Reopened: the same generator weights give the same new samples for the same seed.
            MainWindow w;
            installTraining(&w);
            auto* panel = w.findChild<GanPanel*>();
            QVERIFY(w.openFile(saved));
            // Opening a trained GAN shows its generator on the run's fixed noise: the run's
            // last grid again (a pixel may round differently), and the project's epochs.
            const std::vector<QImage>& shown = panel->sampleGrid()->images();
            QCOMPARE(shown.size(), runLast.size());
            for (size_t i = 0; i < shown.size(); ++i)
                QVERIFY(maxGrayDiff(shown[i], runLast[i]) <= 1);
            QCOMPARE(panel->findChild<QProgressBar*>()->maximum(),
                     static_cast<int>(w.document()->training().epochs));
            QVERIFY(panel->showNewSamples(42));
            QVERIFY(sameImages(panel->sampleGrid()->images(), before));
            QCOMPARE(panel->gridCount(), 0);  // the history belongs to the run, not the file
        }
        setPrompter(&m_prompter);
    }

    void pngExportWritesTheGrid() {
        test::ScriptedPrompter prompter;
        setPrompter(&prompter);
        GraphDocument doc;
        doc.load(ganSample());
        GanTrainingController controller(&doc);
        GanPanel panel(&controller, &doc);
        // Nothing to save yet: an error, no file.
        const QString path = test::tempDir() + "/gan-grid.png";
        QFile::remove(path);
        QVERIFY(!panel.saveGridPng(path));
        QCOMPARE(prompter.errors.size(), 1);
        QVERIFY(!QFile::exists(path));
        // A grid as the engine sends it: 4 samples of 784 values in [-1, 1].
        auto grid = std::make_shared<engine::SampleGrid>();
        grid->step = 7;
        grid->count = 4;
        grid->shape = engine::Shape{784};
        grid->values.resize(4 * 784);
        for (size_t i = 0; i < grid->values.size(); ++i)
            grid->values[i] = static_cast<float>((i * 37 % 200) / 100.0 - 1.0);
        emit controller.samplesArrived(grid);
        QCOMPARE(panel.gridCount(), 1);
        QCOMPARE(panel.historyLabel()->text(), QString("iteration 7"));
        QCOMPARE(panel.sampleGrid()->images().size(), size_t{4});
        // Through the button, with the file name the user picks.
        prompter.saveFileAnswer = test::tempDir() + "/gan-grid";
        panel.savePngButton()->click();
        const QImage written(path);
        QVERIFY(!written.isNull());
        QCOMPARE(written.convertToFormat(QImage::Format_RGB32),
                 panel.sampleGrid()->render().convertToFormat(QImage::Format_RGB32));
        QCOMPARE(prompter.errors.size(), 1);
        QVERIFY(!panel.saveGridPng("/nonexistent/dir/grid.png"));
        QCOMPARE(prompter.errors.size(), 2);
        setPrompter(&m_prompter);
        // With the generator averaged, the grid's title says whose samples they are.
        auto* box = qobject_cast<QGroupBox*>(panel.sampleGrid()->parentWidget());
        QVERIFY(box);
        QCOMPARE(box->title(), QString("Samples (averaged generator)"));  // as the sample has it
        engine::TrainingConfig c = doc.training();
        c.gan.generatorAverage = 0;
        doc.setTraining(c);
        QCOMPARE(box->title(), QString("Samples"));
    }

    // A hook's pause (the same Paused event a classifier's loss watch sends) shows as paused,
    // not stopped: the controller waits in Paused, the panel offers Resume and says why, and
    // Resume finishes the same run.
    void hookPauseShowsAsPaused() {
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        struct PauseAtStep3 final : engine::RunHook {
            engine::HookVerdict onStepEnd(const engine::RunEvent& ev,
                                          engine::TrainingRecipe&) override {
                return ev.step == 3 ? engine::HookVerdict::pause("look at iteration 3")
                                    : engine::HookVerdict{};
            }
        };
        GraphDocument doc;
        doc.load(ganSample());
        shortenRun(&doc, 1);
        GanTrainingController controller(&doc);
        GanPanel panel(&controller, &doc);
        controller.addHook(std::make_shared<PauseAtStep3>());
        QSignalSpy paused(&controller, &GanTrainingController::healthPaused);
        QSignalSpy finished(&controller, &GanTrainingController::finished);
        QVERIFY(panel.startTraining());
        QVERIFY(paused.count() == 1 || paused.wait(kLongWait));
        QCOMPARE(paused.value(0).value(0).toString(), QString("look at iteration 3"));
        QCOMPARE(controller.state(), RunController::State::Paused);
        QCOMPARE(controller.healthMessage(), QString("look at iteration 3"));
        QCOMPARE(panel.pauseButton()->text(), QString("Resume"));
        QVERIFY(panel.stopButton()->isEnabled());
        QVERIFY2(panel.statusText().contains("look at iteration 3"),
                 qPrintable(panel.statusText()));
        QCOMPARE(finished.count(), 0);
        // It really waits: no step after the one that asked.
        QTest::qWait(300);
        QCOMPARE(controller.engineStep(), int64_t{3});
        panel.pauseButton()->click();  // Resume
        QCOMPARE(controller.state(), RunController::State::Running);
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        const engine::RunRecord record = finished.value(0).value(0).value<engine::RunRecord>();
        QCOMPARE(QString::fromStdString(record.status), QString("finished"));
        QCOMPARE(controller.lastProgress().step, int64_t{10});  // 640 images / batch 64, once
    }

    // The chart of named figures: one curve per metric (points only where a step has it), the
    // left axis grows past the largest finite value, shares stay on 0..1, clear() starts over.
    void metricChartDrawsNamedFigures() {
        using Axis = MetricChart::Axis;
        MetricChart chart({"figures", "step", "loss", "share"},
                          {{"loss", "loss", Qt::blue, Axis::Left},
                           {"accuracy", "accuracy", Qt::red, Axis::RightShare}});
        QVERIFY(chart.series("loss") && chart.series("accuracy"));
        QVERIFY(!chart.series("d_loss"));
        QVector<RunPoint> points;
        for (int i = 1; i <= 6; ++i) {
            RunPoint p;
            p.step = i;
            p.metrics.set("loss", i == 3 ? std::nan("") : 0.5 * i);
            if (i % 2 == 0) p.metrics.set("accuracy", 0.1 * i);
            points.push_back(p);
        }
        chart.addPoints(points);
        chart.refresh();
        const QList<QPointF> loss = chart.series("loss")->points();
        QCOMPARE(loss.size(), qsizetype{6});
        QCOMPARE(loss[5], QPointF(6, 3.0));
        const QList<QPointF> acc = chart.series("accuracy")->points();
        QCOMPARE(acc.size(), qsizetype{3});
        QCOMPARE(acc[0], QPointF(2, 0.2));
        auto axis = [&](QLineSeries* s, Qt::Alignment side) {
            for (QAbstractAxis* a : s->attachedAxes())
                if (a->alignment() == side) return qobject_cast<QValueAxis*>(a);
            return static_cast<QValueAxis*>(nullptr);
        };
        QValueAxis* left = axis(chart.series("loss"), Qt::AlignLeft);
        QValueAxis* right = axis(chart.series("accuracy"), Qt::AlignRight);
        QVERIFY(left && right);
        QVERIFY2(left->max() >= 3.0 * 1.1 - 1e-9, qPrintable(QString::number(left->max())));
        QCOMPARE(right->max(), 1.0);
        QVERIFY(axis(chart.series("loss"), Qt::AlignBottom)->max() >= 6);
        chart.clear();
        QVERIFY(chart.series("loss")->points().isEmpty());
        QCOMPARE(left->max(), 1.1);
    }

    // The GAN panel has the evaluation panel beside the latent walk (before, it lived only in the
    // classifier panel, which a GAN project never shows): trained weights can be scored there.
    void ganPanelOffersEvaluation() {
        GraphDocument doc;
        doc.load(ganSample());
        GanTrainingController controller(&doc);
        GanPanel panel(&controller, &doc);
        QTabWidget* tabs = panel.sideTabs();
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->tabText(0), QString("Latent walk"));
        QCOMPARE(tabs->tabText(1), QString("Evaluate"));
        QVERIFY(tabs->widget(1)->isAncestorOf(panel.evalPanel()));
        tabs->setCurrentIndex(1);
        panel.show();
        QVERIFY(panel.evalPanel()->isVisible());
        QVERIFY(panel.evalPanel()->classifierEdit()->isVisible());  // a GAN needs a classifier
        // Untrained: the panel says so instead of scoring.
        QVERIFY(!panel.evalPanel()->evaluate());
        QVERIFY2(panel.evalPanel()->resultText().contains("no trained weights"),
                 qPrintable(panel.evalPanel()->resultText()));
    }

    // Documentation only: the window on a fully trained GAN (e.g. 30 epochs of fashion-gan from
    // `netloom train samples/fashion-gan.netloom --save gan30.netloom`), with fresh samples:
    //   NETLOOM_SCREENSHOT_DIR=docs NETLOOM_TRAINED_GAN=gan30.netloom xvfb-run -a \
    //     -s "-screen 0 1600x1000x24" ui_test_gan_ui trainedGanScreenshot
    // (NETLOOM_SCORER=CNN.netloom scores it with that classifier: screenshot-gan-evaluate.png)
    void trainedGanScreenshot() {
        const QString trained = qEnvironmentVariable("NETLOOM_TRAINED_GAN");
        if (shotDir().isEmpty() || trained.isEmpty()) QSKIP("documentation screenshot only");
        MainWindow w;
        installTraining(&w);
        auto* panel = w.findChild<GanPanel*>();
        QVERIFY(panel);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openFile(trained));
        w.view()->fitGraph();
        if (auto* dock = w.findChild<QDockWidget*>("trainingRunDock")) {
            dock->show();
            dock->raise();
            w.resizeDocks({dock}, {460}, Qt::Vertical);
        }
        QVERIFY(panel->showNewSamples(7));
        QVERIFY(panel->showLatentWalk(3));
        panel->walkSlider()->setValue(40);
        QTest::qWait(300);
        QApplication::processEvents();
        QVERIFY(w.grab().toImage().save(shotDir() + "/screenshot-gan-trained.png"));
        // And its score in the Evaluate tab (with NETLOOM_SCORER, a trained classifier; else the
        // panel trains the default one first).
        panel->sideTabs()->setCurrentIndex(1);
        panel->evalPanel()->classifierEdit()->setText(qEnvironmentVariable("NETLOOM_SCORER"));
        QSignalSpy done(panel->evalPanel(), &EvalPanel::finished);
        QVERIFY(panel->evalPanel()->evaluate());
        QVERIFY(done.wait(600000));
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(panel->evalPanel()->resultText()));
        QApplication::processEvents();
        QVERIFY(w.grab().toImage().save(shotDir() + "/screenshot-gan-evaluate.png"));
    }

    void cleanupTestCase() { setPrompter(nullptr); }

private:
    test::ScriptedPrompter m_prompter;
};

QTEST_MAIN(TestGanUi)
#include "test_gan_ui.moc"
