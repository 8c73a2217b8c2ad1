// The canvas driven the way a user drives it: palette drops through the view's real drag-and-
// drop handlers, port-to-port connections, clicks and moves with real mouse events on the
// viewport, clipboard between two windows and paste placement, edge shape labels, zoom, and the
// palette's tooltips and icons.
#include <QtTest>

#include <QCursor>
#include <QLineEdit>
#include <QMenu>
#include <QSpinBox>
#include <QStatusBar>
#include <QTextDocument>
#include <QToolTip>
#include "engine/graph/analysis.h"
#include "engine/layers/registry.h"
#include "support/test_layers.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/canvas_menu.h"
#include "ui/canvas/edge_item.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/palette_widget.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

// x (Input 4), fc1, fc2 on a row, not connected.
engine::Project twoLoose() {
    return test::threeInARow(false);
}

// The MIME data the palette's own drag would carry for this layer type.
QMimeData* paletteMime(PaletteWidget* palette, const QString& type) {
    QTreeWidget* tree = palette->tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i) {
            QTreeWidgetItem* item = tree->topLevelItem(g)->child(i);
            if (item->data(0, Qt::UserRole + 1).toString() == type) {
                const QModelIndex index = tree->model()->index(i, 0, tree->model()->index(g, 0));
                return tree->model()->mimeData({index});
            }
        }
    return nullptr;
}

struct DragResult {
    bool enterAccepted, moveAccepted, dropAccepted;
};

DragResult dragAndDrop(QWidget* viewport, QMimeData* mime, QPoint pos) {
    DragResult r{};
    QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &enter);
    r.enterAccepted = enter.isAccepted();
    QDragMoveEvent move(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    r.moveAccepted = move.isAccepted();
    QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &drop);
    r.dropAccepted = drop.isAccepted();
    return r;
}

}  // namespace

class TestCanvas : public QObject, public test::WindowFixture {
    Q_OBJECT

    // The cards of these nodes as the document places them.
    QRectF cardsBounds(const std::vector<std::string>& ids) {
        QRectF r;
        for (const auto& id : ids) r |= geom::cardRect(1).translated(doc()->nodePos(id));
        return r;
    }
    QPointF visibleCentre() {
        return view()->mapToScene(viewport()->rect()).boundingRect().center();
    }
    static bool near(QPointF a, QPointF b, double tolerance = 1.5) {
        return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
    }
    static QString text(QPointF p) { return QString("(%1, %2)").arg(p.x()).arg(p.y()); }

    void dragMouse(QPoint from, QPoint to, int steps = 6) {
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= steps; ++i)
            QTest::mouseMove(viewport(), from + (to - from) * i / steps);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }

    void init() {
        QVERIFY(openWindow());
        doc()->reset(twoLoose());
        view()->resetZoom();
        view()->centerOn(450, 40);
    }
    void cleanup() { closeWindow(); }

    void paletteListsEveryRegisteredLayer() {
        QStringList expected;
        for (const auto* def : engine::allLayerDefs())
            expected << QString::fromStdString(def->type());
        QStringList shown = m_window->palette()->visibleTypes();
        std::sort(expected.begin(), expected.end());
        std::sort(shown.begin(), shown.end());
        QCOMPARE(shown, expected);
        m_window->palette()->setFilter("conv");
        QVERIFY(m_window->palette()->visibleTypes().contains("Conv2D"));
        QVERIFY(!m_window->palette()->visibleTypes().contains("Input"));
        m_window->palette()->setFilter("no such layer at all");
        QVERIFY(m_window->palette()->visibleTypes().isEmpty());
        m_window->palette()->setFilter({});
    }

    // Hovering a palette entry shows what the layer does: its name and the registry's
    // description, through the real tooltip event.
    void paletteTooltipsDescribeTheLayer() {
        QTreeWidget* tree = m_window->palette()->tree();
        int checked = 0;
        for (int g = 0; g < tree->topLevelItemCount(); ++g) {
            // Composite blocks are not layers; ui_test_groups checks their tooltips.
            if (tree->topLevelItem(g)->text(0) == "Blocks") continue;
            for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i) {
                QTreeWidgetItem* item = tree->topLevelItem(g)->child(i);
                const std::string type = item->data(0, Qt::UserRole + 1).toString().toStdString();
                const engine::LayerDef* def = engine::findLayerDef(type);
                QVERIFY(def);
                tree->scrollToItem(item);
                const QPoint at = tree->visualItemRect(item).center();
                QHelpEvent help(QEvent::ToolTip, at, tree->viewport()->mapToGlobal(at));
                QApplication::sendEvent(tree->viewport(), &help);
                QTRY_VERIFY(QToolTip::isVisible());
                QTextDocument html;
                html.setHtml(QToolTip::text());
                const QString shown = html.toPlainText();
                QVERIFY2(shown.contains(QString::fromStdString(def->displayName())),
                         qPrintable(shown));
                QVERIFY(def->description().size() > 20);
                QVERIFY2(shown.contains(QString::fromStdString(def->description())),
                         qPrintable(shown));
                ++checked;
            }
        }
        QToolTip::hideText();
        QCOMPARE(checked, int(engine::allLayerDefs().size()));
    }

    // Each category's layers carry that category's icon, drawn, and no two categories share one.
    void everyPaletteCategoryHasItsOwnIcon() {
        QTreeWidget* tree = m_window->palette()->tree();
        std::map<QString, QImage> icons;
        for (int g = 0; g < tree->topLevelItemCount(); ++g) {
            QTreeWidgetItem* group = tree->topLevelItem(g);
            const QString category = group->text(0);
            QVERIFY(group->childCount() > 0);
            for (int i = 0; i < group->childCount(); ++i) {
                const QIcon icon = group->child(i)->icon(0);
                QVERIFY2(!icon.isNull(), qPrintable(group->child(i)->text(0)));
                const QImage image = icon.pixmap(18, 18).toImage();
                int opaque = 0;
                for (int y = 0; y < image.height(); ++y)
                    for (int x = 0; x < image.width(); ++x) opaque += qAlpha(image.pixel(x, y)) > 0;
                QVERIFY2(opaque > 20, qPrintable(category));
                if (i == 0)
                    icons[category] = image;
                else
                    QVERIFY2(image == icons[category], qPrintable(group->child(i)->text(0)));
            }
        }
        QVERIFY(icons.size() >= engine::layerCategories().size());
        for (auto a = icons.begin(); a != icons.end(); ++a)
            for (auto b = std::next(a); b != icons.end(); ++b)
                QVERIFY2(a->second != b->second, qPrintable(a->first + " and " + b->first));
    }

    void dropFromPaletteCreatesNode() {
        const QPointF target(150, 300);
        QMimeData* mime = paletteMime(m_window->palette(), "Conv2D");
        QVERIFY(mime);
        const DragResult r = dragAndDrop(viewport(), mime, toView(target));
        delete mime;
        QVERIFY(r.enterAccepted);
        QVERIFY(r.moveAccepted);
        QVERIFY(r.dropAccepted);
        QCOMPARE(doc()->graph().nodes().size(), size_t(4));
        const engine::Node n = doc()->graph().nodes().back();  // a copy: undo below edits the graph
        QCOMPARE(n.type, std::string("Conv2D"));
        QCOMPARE(n.params.getInt("filters"), int64_t(32));  // schema defaults filled in
        const QRectF card = m_window->scene()->nodeItem(n.id)->sceneBoundingRect();
        QVERIFY(card.contains(target));  // centred where it was dropped
        QCOMPARE(m_window->scene()->selectedNodeIds(), std::vector<std::string>{n.id});
        QCOMPARE(m_window->inspector()->nodeId(), n.id);
        QCOMPARE(doc()->undoStack()->count(), 1);
        doc()->undoStack()->undo();
        QCOMPARE(doc()->graph().nodes().size(), size_t(3));
        QVERIFY(!m_window->scene()->nodeItem(n.id));
    }

    void dropIgnoresForeignData() {
        QMimeData mime;
        mime.setText("hello");
        const DragResult r = dragAndDrop(viewport(), &mime, toView({150, 300}));
        QVERIFY(!r.moveAccepted);
        QCOMPARE(doc()->graph().nodes().size(), size_t(3));
    }

    void dropOnEdgeInsertsLayer() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        EdgeItem* edge = m_window->scene()->edgeItem({"n1", 0, "n2", 0});
        QVERIFY(edge);
        const QPointF onCurve = edge->midPoint();
        QMimeData* mime = paletteMime(m_window->palette(), "ReLU");
        QDragEnterEvent enter(toView(onCurve), Qt::CopyAction, mime, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(viewport(), &enter);
        QDragMoveEvent move(toView(onCurve), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport(), &move);
        QVERIFY(move.isAccepted());
        QDropEvent drop(QPointF(toView(onCurve)), Qt::CopyAction, mime, Qt::LeftButton,
                        Qt::NoModifier);
        QApplication::sendEvent(viewport(), &drop);
        delete mime;
        const engine::Node& relu = doc()->graph().nodes().back();
        QCOMPARE(relu.type, std::string("ReLU"));
        QVERIFY(!doc()->graph().hasEdge({"n1", 0, "n2", 0}));
        QVERIFY(doc()->graph().hasEdge({"n1", 0, relu.id, 0}));
        QVERIFY(doc()->graph().hasEdge({relu.id, 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), 2);  // connect + insert
    }

    void connectPortsWithMouse() {
        NodeItem* a = m_window->scene()->nodeItem("n1");
        NodeItem* b = m_window->scene()->nodeItem("n2");
        dragMouse(toView(a->outputPortScenePos()), toView(b->inputPortScenePos(0)));
        QVERIFY(doc()->graph().hasEdge({"n1", 0, "n2", 0}));
        QVERIFY(m_window->scene()->edgeItem({"n1", 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), 1);
        QCOMPARE(doc()->nodeAnalysis("n2")->output, engine::Shape{128});
        // Backwards, from a free input to an output, works too.
        NodeItem* c = m_window->scene()->nodeItem("n3");
        dragMouse(toView(c->inputPortScenePos(0)), toView(b->outputPortScenePos()));
        QVERIFY(doc()->graph().hasEdge({"n2", 0, "n3", 0}));
        // The network itself is complete (whether it fits the data is test_editor_truth's).
        QVERIFY(engine::analyzeGraph(doc()->graph()).ok());
    }

    // A layer with two outputs draws two output ports (its port names as tooltips); dragging
    // from the second makes an edge from port 1, which starts at that port and is labelled with
    // that port's shape.
    void multiOutputCardConnectsFromEachPort() {
        engine::ScopedLayerRegistration reg(test::twoHeadsDef());
        engine::Project p = twoLoose();
        engine::Params units;
        units.set("units", int64_t{3});
        p.model().graph.addNode({"h", "TestTwoHeads", "heads", units});
        p.model().graph.connect({"n1", 0, "h", 0});
        p.model().layout["h"] = {0, 200, ""};
        doc()->reset(p);
        view()->centerOn(300, 150);
        NodeItem* heads = m_window->scene()->nodeItem("h");
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        NodeItem* fc2 = m_window->scene()->nodeItem("n3");
        QVERIFY(heads && fc1 && fc2);
        QCOMPARE(heads->outputPortCount(), 2);
        QVERIFY(heads->outputPortScenePos(0) != heads->outputPortScenePos(1));
        const auto port1 = heads->portAt(heads->outputPortScenePos(1));
        QVERIFY(port1 && !port1->input && port1->index == 1);

        dragMouse(toView(heads->outputPortScenePos(1)), toView(fc1->inputPortScenePos(0)));
        QVERIFY(doc()->graph().hasEdge({"h", 1, "n2", 0}));
        dragMouse(toView(heads->outputPortScenePos(0)), toView(fc2->inputPortScenePos(0)));
        QVERIFY(doc()->graph().hasEdge({"h", 0, "n3", 0}));
        EdgeItem* edge = m_window->scene()->edgeItem({"h", 1, "n2", 0});
        QVERIFY(edge);
        QCOMPARE(edge->label(), QString("3"));
        QVERIFY(near(edge->path().pointAtPercent(0), heads->outputPortScenePos(1)));

        // Hovering a port shows its name.
        QTest::mouseMove(viewport(), toView(heads->outputPortScenePos(1)));
        QCOMPARE(heads->toolTip(), QString("b"));
        QTest::mouseMove(viewport(), toView(heads->cardRect().center() + heads->pos()));
        QVERIFY(heads->toolTip().contains("heads"));
        doc()->reset(twoLoose());  // before the registration ends
    }

    void refusesCycleWhileDragging() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n2", 0, "n3", 0}));
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        NodeItem* fc2 = m_window->scene()->nodeItem("n3");
        const QPoint from = toView(fc2->outputPortScenePos());
        const QPoint to = toView(fc1->inputPortScenePos(0));
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QVERIFY(m_window->scene()->isConnecting());
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), from + (to - from) * i / 6);
        // While hovering, the target is shown as refused and the reason is in the status bar.
        QCOMPARE(m_window->scene()->portState({"n2", true, 0}), PortState::RefusedTarget);
        QVERIFY(m_window->statusBar()->currentMessage().contains("cycle"));
        // Valid targets elsewhere are marked as candidates.
        QCOMPARE(m_window->scene()->portState({"n1", true, 0}), PortState::Idle);  // Input: none
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QVERIFY(!m_window->scene()->isConnecting());
        QVERIFY(!doc()->graph().hasEdge({"n3", 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), 1);
        QVERIFY(m_window->statusBar()->currentMessage().contains("cycle"));
    }

    void escapeCancelsConnection() {
        NodeItem* a = m_window->scene()->nodeItem("n1");
        NodeItem* b = m_window->scene()->nodeItem("n2");
        const QPoint from = toView(a->outputPortScenePos());
        const QPoint to = toView(b->inputPortScenePos(0));
        view()->setFocus();
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport(), (from + to) / 2);
        QTest::mouseMove(viewport(), to);
        QCOMPARE(m_window->scene()->portState({"n2", true, 0}), PortState::Target);
        QCOMPARE(m_window->scene()->portState({"n3", true, 0}), PortState::Candidate);
        QTest::keyClick(viewport(), Qt::Key_Escape);
        QVERIFY(!m_window->scene()->isConnecting());
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QVERIFY(doc()->graph().edges().empty());
        QCOMPARE(doc()->undoStack()->count(), 0);
    }

    void refusesOccupiedPort() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        const std::string before = doc()->serialize();
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        NodeItem* fc2 = m_window->scene()->nodeItem("n3");
        // Drag from fc2's output onto fc1's input, which x already feeds: asked to replace that
        // connection, the user says no (test_canvas_editing covers yes).
        m_prompter.yesNoAnswer = false;
        m_prompter.questions.clear();
        dragMouse(toView(fc2->outputPortScenePos()), toView(fc1->inputPortScenePos(0)));
        m_prompter.yesNoAnswer = true;
        QCOMPARE(doc()->serialize(), before);
        QCOMPARE(m_prompter.questions.size(), 1);
        QVERIFY(m_prompter.questions[0].contains("'x' already feeds 'fc1'"));
        QCOMPARE(m_window->statusBar()->currentMessage(), QString("Connection not changed"));
    }

    void pickedUpConnectionDroppedOnEmptySpaceIsRemoved() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        dragMouse(toView(fc1->inputPortScenePos(0)), toView({150, 400}));
        QVERIFY(!doc()->graph().hasEdge({"n1", 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), 2);
        // ... or re-routed to another input in one step.
        doc()->undoStack()->undo();
        NodeItem* fc2 = m_window->scene()->nodeItem("n3");
        dragMouse(toView(fc1->inputPortScenePos(0)), toView(fc2->inputPortScenePos(0)));
        QVERIFY(doc()->graph().hasEdge({"n1", 0, "n3", 0}));
        QVERIFY(!doc()->graph().hasEdge({"n1", 0, "n2", 0}));
    }

    void dragMovesNodeInOneStep() {
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        const QPointF grab = fc1->mapToScene(QPointF(geom::kCardWidth / 2, 50));
        dragMouse(toView(grab), toView(grab + QPointF(40, 120)), 10);
        const QPointF moved = doc()->nodePos("n2");
        QVERIFY2(std::abs(moved.x() - 340) <= 1 && std::abs(moved.y() - 120) <= 1,
                 qPrintable(QString("%1,%2").arg(moved.x()).arg(moved.y())));
        QCOMPARE(doc()->undoStack()->count(), 1);
        doc()->undoStack()->undo();
        QCOMPARE(doc()->nodePos("n2"), QPointF(300, 0));
        QCOMPARE(fc1->pos(), QPointF(300, 0));
    }

    void rubberBandSelectsAndDeleteRemoves() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        // From empty space above-left of x to below the middle of fc1.
        dragMouse(toView({-40, -40}), toView({400, 120}), 8);
        QCOMPARE(m_window->scene()->selectedNodeIds(), (std::vector<std::string>{"n1", "n2"}));
        m_window->action("delete")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), size_t(1));
        QVERIFY(doc()->graph().edges().empty());
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), size_t(3));
        QVERIFY(doc()->graph().hasEdge({"n1", 0, "n2", 0}));
    }

    void copyPasteBetweenTwoWindows() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        m_window->scene()->selectNodes({"n1", "n2"});
        m_window->action("copy")->trigger();

        MainWindow other;
        other.show();
        engine::Project p;
        engine::Params in;
        in.set("shape", std::string("9"));
        p.model().graph.addNode({"n1", "Input", "x", in});
        p.model().layout["n1"] = {0, 0, ""};
        other.document()->reset(p);
        other.action("paste")->trigger();
        const engine::Graph& g = other.document()->graph();
        QCOMPARE(g.nodes().size(), size_t(3));
        QCOMPARE(g.nodes()[1].name, std::string("x_2"));
        QCOMPARE(g.nodes()[2].name, std::string("fc1"));
        QVERIFY(g.hasEdge({g.nodes()[1].id, 0, g.nodes()[2].id, 0}));
        QCOMPARE(other.scene()->selectedNodeIds().size(), size_t(2));
        QCOMPARE(other.document()->undoStack()->count(), 1);
        other.document()->undoStack()->undo();
        QCOMPARE(other.document()->graph().nodes().size(), size_t(1));
        other.document()->undoStack()->setClean();
        // The source is untouched; cut removes, paste brings back with fresh ids.
        QCOMPARE(doc()->graph().nodes().size(), size_t(3));
        m_window->action("cut")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), size_t(1));
        m_window->action("paste")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), size_t(3));
        m_window->scene()->selectNodes({"n3"});
        m_window->action("duplicate")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), size_t(4));
        QCOMPARE(doc()->graph().nodes().back().name, std::string("fc2_2"));
    }

    void pasteLandsUnderTheCursor() {
        m_window->scene()->selectNodes({"n2", "n3"});  // fc1 at (300, 0), fc2 at (600, 0)
        m_window->action("copy")->trigger();
        const QPointF spot(250, 190);
        QVERIFY(viewport()->rect().contains(toView(spot)));
        QCursor::setPos(viewport()->mapToGlobal(toView(spot)));
        m_window->action("paste")->trigger();
        const std::vector<std::string> first = m_window->scene()->selectedNodeIds();
        QCOMPARE(first.size(), size_t(2));
        QCOMPARE(doc()->graph().node(first[0]).name, std::string("fc1_2"));
        // The fragment keeps its shape and is centred on the cursor.
        QCOMPARE(doc()->nodePos(first[1]) - doc()->nodePos(first[0]), QPointF(300, 0));
        QVERIFY2(near(cardsBounds(first).center(), spot),
                 qPrintable(text(cardsBounds(first).center())));

        // Pasting again without moving the mouse steps aside instead of covering the copy.
        m_window->action("paste")->trigger();
        const std::vector<std::string> second = m_window->scene()->selectedNodeIds();
        QCOMPARE(doc()->nodePos(second[0]) - doc()->nodePos(first[0]), QPointF(30, 30));

        // The mouse moved: the next paste follows it.
        const QRectF shown = view()->mapToScene(viewport()->rect()).boundingRect();
        const QPointF elsewhere = shown.topLeft() + QPointF(120, 100);
        QVERIFY(viewport()->rect().contains(toView(elsewhere)));
        QCursor::setPos(viewport()->mapToGlobal(toView(elsewhere)));
        m_window->action("paste")->trigger();
        const std::vector<std::string> third = m_window->scene()->selectedNodeIds();
        QVERIFY2(near(cardsBounds(third).center(), elsewhere),
                 qPrintable(text(cardsBounds(third).center())));
        QCOMPARE(doc()->undoStack()->count(), 3);
        m_window->action("undo")->trigger();
        QVERIFY(!doc()->graph().findNode(third[0]));
    }

    void pasteWithCursorOffTheCanvasLandsInTheMiddle() {
        m_window->scene()->selectNodes({"n1"});
        m_window->action("copy")->trigger();
        view()->centerOn(-1500, 900);  // far from the original at (0, 0)
        // Outside the window.
        QCursor::setPos(m_window->mapToGlobal(QPoint(-300, -300)));
        m_window->action("paste")->trigger();
        const std::vector<std::string> pasted = m_window->scene()->selectedNodeIds();
        QCOMPARE(pasted.size(), size_t(1));
        QVERIFY2(near(cardsBounds(pasted).center(), visibleCentre()),
                 qPrintable(text(cardsBounds(pasted).center()) + " vs " + text(visibleCentre())));
        // Over another panel of the same window (the palette): not over the canvas either.
        view()->centerOn(800, -700);
        QWidget* palette = m_window->palette();
        QCursor::setPos(palette->mapToGlobal(palette->rect().center()));
        m_window->action("paste")->trigger();
        const std::vector<std::string> again = m_window->scene()->selectedNodeIds();
        QVERIFY2(near(cardsBounds(again).center(), visibleCentre()),
                 qPrintable(text(cardsBounds(again).center()) + " vs " + text(visibleCentre())));
        // Both are in view.
        const QRectF visible = view()->mapToScene(viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(m_window->scene()->nodeItem(again[0])->sceneBoundingRect()));
    }

    void refusedConnectionKeepsItsReason() {
        NodeItem* x = m_window->scene()->nodeItem("n1");
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        const QPoint from = toView(x->outputPortScenePos());
        const QPoint to = toView(fc1->inputPortScenePos(0));
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(viewport(), (from + to) / 2);
        QTest::mouseMove(viewport(), to);
        QCOMPARE(m_window->scene()->portState({"n2", true, 0}), PortState::Target);
        // While the connection is dragged the graph changes (another edit): fc2 now feeds fc1,
        // so the drop is refused by the command itself.
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n3", 0, "n2", 0}));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QVERIFY(!doc()->graph().hasEdge({"n1", 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), 1);
        const QString message = m_window->statusBar()->currentMessage();
        QVERIFY2(message.contains("already fed"), qPrintable(message));
        QVERIFY2(!message.contains("Connected"), qPrintable(message));
        // A drop that succeeds says so.
        dragMouse(toView(x->outputPortScenePos()),
                  toView(m_window->scene()->nodeItem("n3")->inputPortScenePos(0)));
        QVERIFY(doc()->graph().hasEdge({"n1", 0, "n3", 0}));
        QCOMPARE(m_window->statusBar()->currentMessage(), QString("Connected"));
    }

    void edgeLabelsShowTheTensorShape() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n2", 0, "n3", 0}));
        EdgeItem* in = m_window->scene()->edgeItem({"n1", 0, "n2", 0});
        EdgeItem* hidden = m_window->scene()->edgeItem({"n2", 0, "n3", 0});
        QVERIFY(in && hidden);
        QCOMPARE(in->label(), QString("4"));        // Input shape 4
        QCOMPARE(hidden->label(), QString("128"));  // Dense default: 128 units
        QVERIFY(hidden->toolTip().contains("128"));
        // The label sits on the curve and is part of the item (drawn, hoverable).
        QVERIFY(hidden->shape().contains(hidden->midPoint()));
        QVERIFY(hidden->boundingRect().contains(hidden->midPoint()));

        // A parameter edit in the inspector changes the shape: the label follows.
        m_window->scene()->selectNodes({"n2"});
        auto* units = qobject_cast<QSpinBox*>(m_window->inspector()->editor("units"));
        QVERIFY(units);
        units->setValue(32);
        QCOMPARE(hidden->label(), QString("32"));
        QCOMPARE(in->label(), QString("4"));
        // An input shape the Dense layer cannot take: the downstream shape is unknown.
        m_window->scene()->selectNodes({"n1"});
        auto* shape = qobject_cast<QLineEdit*>(m_window->inspector()->editor("shape"));
        shape->setText("3,5");
        emit shape->editingFinished();
        QCOMPARE(in->label(), QString("3×5"));
        QCOMPARE(hidden->label(), QString());
        m_window->action("undo")->trigger();
        QCOMPARE(in->label(), QString("4"));
        QCOMPARE(hidden->label(), QString("32"));
        m_window->action("undo")->trigger();
        QCOMPARE(hidden->label(), QString("128"));
    }

    void singleClickSelectsNode() {
        auto clickCard = [&](const std::string& id, Qt::KeyboardModifiers mods = {}) {
            NodeItem* item = m_window->scene()->nodeItem(id);
            QTest::mouseClick(viewport(), Qt::LeftButton, mods,
                              toView(item->mapToScene(QPointF(geom::kCardWidth / 2, 50))));
        };
        clickCard("n2");
        QCOMPARE(m_window->scene()->selectedNodeIds(), std::vector<std::string>{"n2"});
        QCOMPARE(m_window->inspector()->nodeId(), std::string("n2"));
        clickCard("n3");
        QCOMPARE(m_window->scene()->selectedNodeIds(), std::vector<std::string>{"n3"});
        QCOMPARE(m_window->inspector()->nodeId(), std::string("n3"));
        clickCard("n2", Qt::ControlModifier);
        QCOMPARE(m_window->scene()->selectedNodeIds(), (std::vector<std::string>{"n2", "n3"}));
        QVERIFY(m_window->inspector()->nodeId().empty());  // several: nothing to edit
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, toView({150, 400}));  // empty canvas
        QVERIFY(m_window->scene()->selectedNodeIds().empty());
        QCOMPARE(doc()->undoStack()->count(), 0);  // a click is not a move
        QCOMPARE(doc()->nodePos("n2"), QPointF(300, 0));
    }

    void doubleClickRenamesInPlace() {
        NodeItem* fc1 = m_window->scene()->nodeItem("n2");
        const QPoint p = toView(fc1->mapToScene(fc1->nameRect().center()));
        QTest::mouseDClick(viewport(), Qt::LeftButton, {}, p);
        auto* edit = viewport()->findChild<QLineEdit*>();
        QVERIFY(edit);
        QVERIFY(edit->isVisible());
        edit->selectAll();
        QTest::keyClicks(edit, "hidden");
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(doc()->graph().node("n2").name, std::string("hidden"));
        QCOMPARE(doc()->undoStack()->count(), 1);
    }

    void zoomAndFit() {
        const qreal z = view()->zoom();
        QWheelEvent wheel(QPointF(200, 200), view()->viewport()->mapToGlobal(QPointF(200, 200)),
                          QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(viewport(), &wheel);
        QVERIFY(view()->zoom() > z);
        m_window->action("zoomOut")->trigger();
        m_window->action("zoomOut")->trigger();
        QVERIFY(view()->zoom() < z * 1.2);
        m_window->action("fit")->trigger();
        const QRectF visible = view()->mapToScene(viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(m_window->scene()->nodeItem("n1")->sceneBoundingRect()));
        QVERIFY(visible.contains(m_window->scene()->nodeItem("n3")->sceneBoundingRect()));
    }

    void contextMenuReachesEverything() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        auto findAction = [](QMenu& menu, const QString& path) -> QAction* {
            QMenu* current = &menu;
            QAction* found = nullptr;
            for (const QString& part : path.split('/')) {
                found = nullptr;
                for (QAction* a : current->actions())
                    if (a->text() == part) found = a;
                if (!found) return nullptr;
                if (found->menu()) current = found->menu();
            }
            return found;
        };
        {  // On a connection: insert a layer there.
            QMenu menu;
            populateCanvasMenu(menu, *view(),
                               m_window->scene()->edgeItem({"n1", 0, "n2", 0})->midPoint());
            QVERIFY(!findAction(menu, "Insert Layer Here/Input/Input"));  // takes no input
            QAction* relu = findAction(menu, "Insert Layer Here/Activation/ReLU");
            QVERIFY(relu);
            relu->trigger();
            QCOMPARE(doc()->graph().nodes().back().type, std::string("ReLU"));
            QVERIFY(doc()->graph().hasEdge({doc()->graph().nodes().back().id, 0, "n2", 0}));
        }
        {  // On empty canvas: add any layer at that spot.
            QMenu menu;
            populateCanvasMenu(menu, *view(), {100, 600});
            QAction* conv = findAction(menu, "Add Layer Here/Convolution/Conv 2D");
            QVERIFY(conv);
            conv->trigger();
            QCOMPARE(doc()->graph().nodes().back().type, std::string("Conv2D"));
            QVERIFY(m_window->scene()
                        ->nodeItem(doc()->graph().nodes().back().id)
                        ->sceneBoundingRect()
                        .contains(QPointF(100, 600)));
        }
        {  // On a layer: delete it.
            QMenu menu;
            populateCanvasMenu(menu, *view(),
                               m_window->scene()->nodeItem("n3")->sceneBoundingRect().center());
            findAction(menu, "Delete")->trigger();
            QVERIFY(!doc()->graph().findNode("n3"));
        }
    }

    void autoLayoutIsOneUndoStep() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        doc()->undoStack()->push(new MoveNodesCommand(doc(), {{"n2", {-500, 700}}}));
        m_window->action("autoLayout")->trigger();
        QCOMPARE(doc()->undoStack()->count(), 3);
        QVERIFY(doc()->nodePos("n2").x() > doc()->nodePos("n1").x());
        QCOMPARE(doc()->nodePos("n2").y(), doc()->nodePos("n1").y());
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->nodePos("n2"), QPointF(-500, 700));
    }
};

QTEST_MAIN(TestCanvas)
#include "test_canvas.moc"
