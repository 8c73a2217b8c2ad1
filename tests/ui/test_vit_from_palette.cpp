// A Vision Transformer built the way a user builds it: layers dragged from the palette onto the
// canvas (the view's real drag-and-drop handlers), the "Transformer encoder block" dropped from
// the palette's Blocks, every connection drawn port to port with the mouse; then it trains in
// the window and the Attention tab shows live maps from the run's weights: non-empty, finite,
// every row a distribution, and different after the second epoch than after the first.
// With NETLOOM_SCREENSHOT_DIR set it trains longer and saves the pictures for docs/:
// screenshot-attention-vit.png and the block expanded and collapsed
// (screenshot-group-{expanded,collapsed}.png).
//   NETLOOM_SCREENSHOT_DIR=docs xvfb-run -a -s "-screen 0 1920x1200x24" \
//       build/tests/ui_test_vit_from_palette
#include <QDockWidget>
#include <QFile>
#include <QMimeData>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <map>
#include <set>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/palette_widget.h"
#include "ui/commands/node_commands.h"
#include "ui/evaluation/eval_context.h"
#include "ui/training/attention_heads_widget.h"
#include "ui/training/attention_view.h"
#include "ui/training/training_controller.h"
#include "ui/training/training_dock.h"
#include "ui/training/training_panel.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

constexpr int kLongWait = 600'000;

QString shotDir() {
    return qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
}

// The MIME data the palette's own drag carries for a layer type or a block.
QMimeData* paletteMime(PaletteWidget* palette, const QString& type, bool block = false) {
    QTreeWidget* tree = palette->tree();
    QTreeWidgetItem* found = block ? palette->blockItem(type.toStdString()) : nullptr;
    for (int g = 0; g < tree->topLevelItemCount() && !found; ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i)
            if (tree->topLevelItem(g)->child(i)->data(0, Qt::UserRole + 1).toString() == type)
                found = tree->topLevelItem(g)->child(i);
    if (!found) return nullptr;
    QTreeWidgetItem* parent = found->parent();
    const QModelIndex index = tree->model()->index(
        parent->indexOfChild(found), 0, tree->model()->index(tree->indexOfTopLevelItem(parent), 0));
    return tree->model()->mimeData({index});
}

}  // namespace

class TestVitFromPalette : public QObject, public test::WindowFixture {
    Q_OBJECT

    std::set<std::string> nodeIds() {
        std::set<std::string> ids;
        for (const engine::Node& n : doc()->graph().nodes()) ids.insert(n.id);
        return ids;
    }

    // Drags a palette entry onto the canvas at scenePos; returns the ids of the new layers.
    std::vector<std::string> drop(const QString& type, QPointF scenePos, bool block = false) {
        const std::set<std::string> before = nodeIds();
        QMimeData* mime = paletteMime(m_window->palette(), type, block);
        if (!mime) return {};
        const QPoint pos = toView(scenePos);
        QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &enter);
        QDragMoveEvent move(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &move);
        QDropEvent dropped(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &dropped);
        const bool accepted = enter.isAccepted() && move.isAccepted() && dropped.isAccepted();
        delete mime;
        std::vector<std::string> added;
        if (!accepted) return added;
        for (const engine::Node& n : doc()->graph().nodes())
            if (!before.count(n.id)) added.push_back(n.id);
        return added;
    }

    // Draws a connection with the mouse from an output port to an input port.
    bool connectPorts(const std::string& from, const std::string& to, int toPort = 0) {
        NodeItem* a = m_window->scene()->nodeItem(from);
        NodeItem* b = m_window->scene()->nodeItem(to);
        if (!a || !b) return false;
        const QPoint p = toView(a->outputPortScenePos()), q = toView(b->inputPortScenePos(toPort));
        QTest::mousePress(viewport(), Qt::LeftButton, {}, p);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), p + (q - p) * i / 6);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, q);
        return doc()->graph().hasEdge({from, 0, to, toPort});
    }

    // What the inspector's fields do: one parameter edit.
    void setParam(const std::string& id, const char* key, engine::ParamValue value) {
        engine::Node n = doc()->graph().node(id);
        n.params.set(key, value);
        doc()->replaceNode(n);
    }

    // Input 1×28×28 → PatchEmbedding (7×7, width 64) → ClassToken → PositionalEmbedding →
    // Transformer encoder block → LayerNorm → SequenceMean → Dense 10, built through the canvas.
    // Returns the block's group id (empty on failure, with a QTest failure recorded).
    std::string buildVit() {
        view()->resetZoom();
        view()->zoomBy(0.5);
        view()->centerOn(1000, 300);
        std::vector<std::string> stem;
        const char* stemTypes[] = {"Input", "PatchEmbedding", "ClassToken", "PositionalEmbedding"};
        for (int i = 0; i < 4; ++i) {
            const std::vector<std::string> added = drop(stemTypes[i], {100.0 + 300 * i, 0});
            if (added.size() != 1) {
                QTest::qFail(stemTypes[i], __FILE__, __LINE__);
                return {};
            }
            stem.push_back(added[0]);
        }
        const std::vector<std::string> block = drop("transformer_encoder", {40, 220}, true);
        if (block.size() != 8 || doc()->groups().size() != 1) {
            QTest::qFail("the Transformer encoder block was not dropped", __FILE__, __LINE__);
            return {};
        }
        const engine::NodeGroup group = doc()->groups()[0];
        std::vector<std::string> head;
        const char* headTypes[] = {"LayerNorm", "SequenceMean", "Dense"};
        for (int i = 0; i < 3; ++i) {
            const std::vector<std::string> added = drop(headTypes[i], {1400.0 + 300 * i, 440});
            if (added.size() != 1) {
                QTest::qFail(headTypes[i], __FILE__, __LINE__);
                return {};
            }
            head.push_back(added[0]);
        }
        setParam(stem[0], "shape", std::string("1,28,28"));
        setParam(stem[1], "patch", int64_t{7});
        setParam(stem[1], "dim", int64_t{64});
        setParam(head[2], "units", int64_t{10});
        view()->fitGraph();
        QApplication::processEvents();
        // The block's members in its file's order: ln_a … add_b; it is fed at ln_a (port 0)
        // and at the first Add's skip input (port 1).
        const std::vector<std::string>& m = group.members;
        const bool wired = connectPorts(stem[0], stem[1]) && connectPorts(stem[1], stem[2]) &&
                           connectPorts(stem[2], stem[3]) && connectPorts(stem[3], m.front()) &&
                           connectPorts(stem[3], m[2], 1) && connectPorts(m.back(), head[0]) &&
                           connectPorts(head[0], head[1]) && connectPorts(head[1], head[2]);
        if (!wired) {
            QTest::qFail("a connection did not take", __FILE__, __LINE__);
            return {};
        }
        return group.id;
    }

    static void configure(GraphDocument* doc, bool shots) {
        engine::TrainingConfig t = doc->training();
        t.task = "classification";
        t.dataset.kind = "fashion-mnist";
        t.dataset.limitTrain = shots ? 10000 : 512;
        t.dataset.limitTest = shots ? 500 : 64;
        t.validationSplit = 0;
        t.epochs = shots ? 3 : 2;
        t.batchSize = 64;
        t.optimizer.type = "adamw";
        t.optimizer.lr = 1e-3;
        t.threads = 1;
        t.seed = 1;
        doc->setTraining(t);
    }

private slots:
    void initTestCase() {
        setUpSuite();
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
    }
    void cleanupTestCase() { tearDownSuite(); }

    void buildTrainAndWatchAttention() {
        const bool shots = !shotDir().isEmpty();
        m_window = std::make_unique<MainWindow>();
        TrainingPanel* panel = installTraining(m_window.get());
        m_window->resize(1900, 1150);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        engine::Project empty;
        empty.name = "Tiny ViT";
        doc()->reset(empty);
        const int attentionTab = panel->tabs()->indexOf(panel->attentionView());
        QVERIFY(!panel->tabs()->isTabVisible(attentionTab));  // no attention yet
        QVERIFY(!buildVit().empty());
        configure(doc(), shots);
        QVERIFY2(doc()->analysis().ok(), doc()->analysis().firstProblem().c_str());
        QCOMPARE(doc()->nodeAnalysis(doc()->analysis().outputNode)->output, engine::Shape{10});
        // The attention tab appeared with the block and is the one shown.
        QVERIFY(panel->tabs()->isTabVisible(attentionTab));
        QCOMPARE(panel->tabs()->currentIndex(), attentionTab);
        AttentionView* view = panel->attentionView();
        // Untrained: it says so.
        QTRY_COMPARE(view->layers().size(), size_t{1});
        QVERIFY2(view->heads()->message().contains("Train"), qPrintable(view->heads()->message()));

        auto* controller = doc()->findChild<TrainingController*>();
        QVERIFY(controller);
        QSignalSpy finished(controller, &TrainingController::finished);
        // The view's maps for each epoch's weights, taken as they arrive (a short run ends
        // sooner than the view's coalescing timer would redraw).
        std::map<qint64, std::vector<engine::AttentionMap>> byEpoch;
        connect(controller, &TrainingController::epochWeights, view, [&](auto, qint64 epoch) {
            view->context()->refreshNow();
            if (view->epoch() == epoch && !view->maps().empty()) byEpoch[epoch] = view->maps();
        });
        m_window->action("train")->trigger();
        QVERIFY(controller->isActive());
        QVERIFY(finished.count() == 1 || finished.wait(kLongWait));
        QVERIFY2(byEpoch.count(1) && byEpoch.count(2), "no maps after epochs 1 and 2");
        // After epoch 1: maps of the epoch's weights over the 4×4 patches (+ class token).
        const AttentionLayerInfo info = view->layers().at(0);
        QVERIFY(info.overPatches());
        QCOMPARE(info.leadingTokens, int64_t{1});
        QCOMPARE(info.gridRows * info.gridColumns, int64_t{16});
        const std::vector<engine::AttentionMap> first = byEpoch[1], second = byEpoch[2];
        QCOMPARE(first.size(), size_t{4});  // the block's four heads
        for (const engine::AttentionMap& m : first) {
            QCOMPARE(m.weights.dims(), (std::vector<int64_t>{17, 17}));
            for (int64_t q = 0; q < 17; ++q) {
                double sum = 0;
                for (int64_t k = 0; k < 17; ++k) {
                    const float v = m.weights[q * 17 + k];
                    QVERIFY(std::isfinite(v) && v >= 0);
                    sum += v;
                }
                QVERIFY2(std::abs(sum - 1) < 1e-5, qPrintable(QString::number(sum)));
            }
        }
        // After epoch 2 the same image's maps moved.
        double change = 0;
        for (size_t h = 0; h < first.size(); ++h)
            for (int64_t k = 0; k < first[h].weights.size(); ++k)
                change += std::abs(second[h].weights[k] - first[h].weights[k]);
        QVERIFY2(change > 1e-3, qPrintable(QString("maps changed by %1 in all").arg(change)));
        // The finished run's weights (the document's) still give maps.
        QTRY_VERIFY_WITH_TIMEOUT(view->epoch() == 0 && !view->maps().empty(), 30000);
        QCOMPARE(view->heads()->pictures().size(), size_t{4});
        if (shots) {
            if (auto* dock = m_window->findChild<QDockWidget*>("trainingRunDock"))
                m_window->resizeDocks({dock}, {560}, Qt::Vertical);
            // Give the tabs (with the maps) room beside the charts.
            if (auto* split = panel->tabs()->parentWidget()
                                  ? qobject_cast<QSplitter*>(panel->tabs()->parentWidget())
                                  : nullptr)
                split->setSizes({500, 420, 640});
            QTest::qWait(300);
            QApplication::processEvents();
            QVERIFY(m_window->grab().toImage().save(shotDir() + "/screenshot-attention-vit.png"));
        }
        closeWindow();
    }

    // The pictures of the composite block for docs/: the ViT above, block expanded and collapsed.
    void groupScreenshots() {
        QVERIFY(openWindow(Wait::Exposed, {1600, 1000}));
        engine::Project empty;
        empty.name = "Tiny ViT";
        doc()->reset(empty);
        const std::string group = buildVit();
        QVERIFY(!group.empty());
        configure(doc(), false);
        QVERIFY2(doc()->analysis().ok(), doc()->analysis().firstProblem().c_str());
        m_window->scene()->clearSelection();
        view()->fitGraph();
        QTest::qWait(50);
        const QImage expanded = m_window->grab().toImage();
        QVERIFY(m_window->scene()->setGroupCollapsed(group, true));
        // The head moves up beside the collapsed card, as a user tidies (one undo step).
        std::map<std::string, QPointF> tidy;
        const std::vector<engine::Node>& nodes = doc()->graph().nodes();
        for (size_t i = 0; i < 3; ++i)
            tidy[nodes[nodes.size() - 3 + i].id] = QPointF(360 + 300.0 * double(i), 200);
        doc()->undoStack()->push(new MoveNodesCommand(doc(), tidy));
        m_window->scene()->clearSelection();
        view()->fitGraph();
        QTest::qWait(50);
        const QImage collapsed = m_window->grab().toImage();
        QVERIFY(expanded != collapsed);
        QVERIFY2(doc()->analysis().ok(), doc()->analysis().firstProblem().c_str());
        const QString dir = shotDir();
        if (!dir.isEmpty()) {
            QVERIFY(expanded.save(dir + "/screenshot-group-expanded.png"));
            QVERIFY(collapsed.save(dir + "/screenshot-group-collapsed.png"));
        }
        closeWindow();
    }
};

QTEST_MAIN(TestVitFromPalette)
#include "test_vit_from_palette.moc"
