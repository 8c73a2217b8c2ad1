// The canvas never surprises: a refused connection says why at the port under the cursor, and
// dropping onto a used input offers to replace its connection (one step); Auto-Layout routes
// skip connections around the layers they skip and keeps the text readable; adding a layer moves
// nothing the user placed, and the start hint goes with the first card; a palette double-click
// places the layer beside the selection and connects it; copies are numbered on; cards and the
// inspector say what a pool stride of 0 means; a shape typo is "not a number".
#include <QImage>
#include <QLineEdit>
#include <QScreen>
#include <QSpinBox>
#include <QTreeWidget>
#include <QtTest>

#include "test_helpers.h"
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

engine::Params withInt(const char* key, int64_t v) {
    engine::Params p;
    p.set(key, v);
    return p;
}

// The residual block of the issue: image → conv → relu → conv_2 → add(conv_2, relu) → relu_2 →
// pool → flat → out, laid out on one line (Auto-Layout decides the real places).
engine::Project residualProject() {
    engine::Project p;
    engine::Graph& g = p.model().graph;
    engine::Params in;
    in.set("shape", std::string("1,28,28"));
    engine::Params conv = withInt("filters", 8);
    conv.set("padding", std::string("same"));
    g.addNode({"i", "Input", "image", in});
    g.addNode({"c1", "Conv2D", "conv2d", conv});
    g.addNode({"r1", "ReLU", "relu", {}});
    g.addNode({"c2", "Conv2D", "conv2d_2", conv});
    g.addNode({"a", "Add", "add", {}});
    g.addNode({"r2", "ReLU", "relu_2", {}});
    g.addNode({"p", "MaxPool2D", "maxpool", {}});
    g.addNode({"f", "Flatten", "flatten", {}});
    g.addNode({"o", "Dense", "out", withInt("units", 10)});
    g.connect({"i", 0, "c1", 0});
    g.connect({"c1", 0, "r1", 0});
    g.connect({"r1", 0, "c2", 0});
    g.connect({"c2", 0, "a", 0});
    g.connect({"r1", 0, "a", 1});
    g.connect({"a", 0, "r2", 0});
    g.connect({"r2", 0, "p", 0});
    g.connect({"p", 0, "f", 0});
    g.connect({"f", 0, "o", 0});
    double x = 0;
    for (const engine::Node& n : g.nodes()) p.model().layout[n.id] = {x += 40, 0, ""};
    return p;
}

QTreeWidgetItem* paletteItem(PaletteWidget* palette, const QString& type) {
    QTreeWidget* tree = palette->tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i)
            if (tree->topLevelItem(g)->child(i)->data(0, Qt::UserRole + 1).toString() == type)
                return tree->topLevelItem(g)->child(i);
    return nullptr;
}

}  // namespace

class TestCanvasEditing : public QObject, public test::WindowFixture {
    Q_OBJECT

    GraphScene* scene() { return m_window->scene(); }
    NodeItem* node(const char* id) { return scene()->nodeItem(id); }
    QRectF cardOf(const std::string& id) {
        NodeItem* item = scene()->nodeItem(id);
        return item->mapRectToScene(item->cardRect());
    }
    // Where each card is on the screen.
    std::map<std::string, QPoint> onScreen() {
        std::map<std::string, QPoint> where;
        for (const engine::Node& n : doc()->graph().nodes())
            where[n.id] = toView(scene()->nodeItem(n.id)->pos());
        return where;
    }
    // Activates a palette entry the way a user does without dragging: a double-click or Enter
    // on it (both emit the tree's itemActivated; QTest's synthetic double-click does not reach
    // an item view's activation, so this presses Enter on the entry).
    void doubleClickPalette(const QString& type) {
        PaletteWidget* palette = m_window->palette();
        QTreeWidgetItem* item = paletteItem(palette, type);
        QVERIFY(item);
        palette->tree()->setCurrentItem(item);
        palette->tree()->setFocus();
        QTest::keyClick(palette->tree(), Qt::Key_Return);
    }
    void hover(QPoint from, QPoint to) {
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), from + (to - from) * i / 6);
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        QVERIFY(openWindow());
        m_prompter.questions.clear();
        m_prompter.yesNoAnswer = true;
        doc()->reset(test::threeInARow(false));
        view()->resetZoom();
        view()->centerOn(450, 40);
    }
    void cleanup() { closeWindow(); }

    // Dragging fc2's output onto fc1's input when fc1 feeds fc2: the reason is written beside
    // fc1's input while the cursor is there, and goes away with the drag.
    void refusedPortSaysWhyBesideIt() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n2", 0, "n3", 0}));
        const QPoint to = toView(node("n2")->inputPortScenePos(0));
        hover(toView(node("n3")->outputPortScenePos()), to);
        QVERIFY2(scene()->portHintText().contains("would create a cycle"),
                 qPrintable(scene()->portHintText()));
        if (const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR"); !dir.isEmpty())
            viewport()->grab().save(dir + "/canvas-port-hint.png");  // a look, on request
        // The label is at the port the cursor is on, not somewhere in the status bar.
        QGraphicsItem* hint = nullptr;
        for (QGraphicsItem* item : scene()->items())
            if (item->isVisible() && item->zValue() >= 20) hint = item;
        QVERIFY(hint);
        const QRect label =
            view()->mapFromScene(hint->mapToScene(hint->boundingRect())).boundingRect();
        const QPoint port = to;
        QVERIFY2((label.center() - port).manhattanLength() < 250, "the hint is far from the port");
        QVERIFY(view()->viewport()->rect().intersects(label));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QVERIFY(scene()->portHintText().isEmpty());
        QVERIFY(!doc()->graph().hasEdge({"n3", 0, "n2", 0}));
        // A self-loop is explained the same way.
        hover(toView(node("n2")->outputPortScenePos()), toView(node("n2")->inputPortScenePos(0)));
        QVERIFY2(scene()->portHintText().contains("cannot feed itself"),
                 qPrintable(scene()->portHintText()));
        QTest::mouseRelease(viewport(), Qt::LeftButton, {},
                            toView(node("n2")->inputPortScenePos(0)));
    }

    // fc1 is fed by x; dropping fc2's output on fc1's input asks to replace that connection.
    // "No" changes nothing; "Yes" swaps the connections in one undo step.
    void droppingOnAFedInputOffersToReplace() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        const int steps = doc()->undoStack()->count();
        const std::string before = doc()->serialize();
        const QPoint from = toView(node("n3")->outputPortScenePos());
        const QPoint to = toView(node("n2")->inputPortScenePos(0));
        hover(from, to);
        QVERIFY2(scene()->portHintText().contains("'x' already feeds 'fc1'") &&
                     scene()->portHintText().contains("release to replace"),
                 qPrintable(scene()->portHintText()));
        m_prompter.yesNoAnswer = false;
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(m_prompter.questions.size(), 1);
        QVERIFY2(m_prompter.questions[0].contains("Replace that connection with one from 'fc2'"),
                 qPrintable(m_prompter.questions[0]));
        QCOMPARE(doc()->serialize(), before);
        QCOMPARE(doc()->undoStack()->count(), steps);

        m_prompter.yesNoAnswer = true;
        hover(from, to);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
        QVERIFY(doc()->graph().hasEdge({"n3", 0, "n2", 0}));
        QVERIFY(!doc()->graph().hasEdge({"n1", 0, "n2", 0}));
        QCOMPARE(doc()->undoStack()->count(), steps + 1);
        doc()->undoStack()->undo();
        QCOMPARE(doc()->serialize(), before);
    }

    // Auto-Layout of the residual block: the skip connection relu → add goes around conv2d_2,
    // not behind it, and the view stays readable (≥ 80 %), scrolled to the input.
    void autoLayoutRoutesSkipsAndStaysReadable() {
        doc()->reset(residualProject());
        m_window->action("autoLayout")->trigger();
        EdgeItem* skip = scene()->edgeItem({"r1", 0, "a", 1});
        QVERIFY(skip);
        const QRectF skipped = cardOf("c2");
        QVERIFY2(!EdgeItem::passesThrough(skip->path(), skipped),
                 "the skip connection runs behind conv2d_2");
        for (const engine::Node& n : doc()->graph().nodes())
            if (n.id != "r1" && n.id != "a")
                QVERIFY2(!EdgeItem::passesThrough(skip->path(), cardOf(n.id)), n.name.c_str());
        // Its label is not on a card either.
        for (const engine::Node& n : doc()->graph().nodes())
            QVERIFY(!cardOf(n.id).contains(skip->midPoint()));
        // Plain neighbours stay straight S-curves.
        EdgeItem* plain = scene()->edgeItem({"r1", 0, "c2", 0});
        QCOMPARE(plain->path(),
                 EdgeItem::curve(plain->path().pointAtPercent(0), plain->path().pointAtPercent(1)));

        QVERIFY2(view()->zoom() >= GraphView::kReadableZoom - 1e-9,
                 qPrintable(QString::number(view()->zoom())));
        const QRectF visible = view()->mapToScene(viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(cardOf("i")));  // the input is on screen
    }

    // Adding a layer near the edge of the view moves nothing that was on screen; the start hint
    // of an empty canvas is gone from the screen once the first card is there.
    void addingALayerMovesNothing() {
        const std::map<std::string, QPoint> before = onScreen();
        // Dropped so that its card sticks out over the right edge.
        const QPointF spot = view()->mapToScene(QPoint(viewport()->width() - 30, 200));
        QVERIFY(!scene()->addLayerAt("ReLU", spot).empty());
        QCoreApplication::processEvents();
        const std::map<std::string, QPoint> after = onScreen();
        for (const auto& [id, pos] : before)
            QVERIFY2(after.at(id) == pos, qPrintable(QString("%1 moved from (%2,%3) to (%4,%5)")
                                                         .arg(QString::fromStdString(id))
                                                         .arg(pos.x())
                                                         .arg(pos.y())
                                                         .arg(after.at(id).x())
                                                         .arg(after.at(id).y())));
        // Double-clicking palette entries does not move them either.
        scene()->clearSelection();  // placed in the middle of the view, not beside the ReLU
        const std::map<std::string, QPoint> before2 = onScreen();
        doubleClickPalette("Dense");
        doubleClickPalette("Dense");
        for (const auto& [id, pos] : before2) QCOMPARE(onScreen().at(id), pos);
    }

    void startHintLeavesWithTheFirstCard() {
        doc()->reset(engine::Project{});
        QTest::qWait(100);
        QScreen* screen = m_window->screen();
        auto shown = [&] {
            QCoreApplication::processEvents();
            QTest::qWait(50);  // the paint has reached the window's backing store
            const QPoint origin = viewport()->mapToGlobal(QPoint(0, 0));
            return screen
                ->grabWindow(0, origin.x(), origin.y(), viewport()->width(), viewport()->height())
                .toImage();
        };
        const QImage withHint = shown();
        QVERIFY(!withHint.isNull());
        // A card far from the hint's text (which is centred): only a full repaint removes it.
        QVERIFY(!scene()->addLayerAt("Input", view()->mapToScene(QPoint(120, 60))).empty());
        const QImage after = shown();
        const QImage fresh = viewport()->grab().toImage().convertToFormat(after.format());
        if (after.size() != fresh.size()) QSKIP("this platform cannot grab the screen");
        QCOMPARE(after, fresh);  // what is on screen is what a full paint gives: no stale hint
        QVERIFY(after != withHint);
    }

    // With fc1 selected, double-clicking ReLU in the palette puts it right of fc1, clear of every
    // card, fed by fc1: one undo step. With nothing selected it lands free near the centre.
    void paletteDoubleClickPlacesBesideTheSelection() {
        doc()->undoStack()->push(new ConnectCommand(doc(), {"n1", 0, "n2", 0}));
        // A card where the new one would naturally go, to see it is avoided.
        doc()->undoStack()->push(new MoveNodesCommand(doc(), {{"n3", {560, 0}}}));
        scene()->selectNodes({"n2"});
        const int steps = doc()->undoStack()->count();
        doubleClickPalette("ReLU");
        QCOMPARE(doc()->graph().nodes().size(), size_t{4});
        const engine::Node added = doc()->graph().nodes().back();
        QCOMPARE(added.type, std::string("ReLU"));
        QVERIFY(doc()->graph().hasEdge({"n2", 0, added.id, 0}));
        QCOMPARE(doc()->undoStack()->count(), steps + 1);
        const QRectF card = cardOf(added.id);
        QVERIFY(card.left() > cardOf("n2").right());
        for (const char* id : {"n1", "n2", "n3"}) QVERIFY2(!card.intersects(cardOf(id)), id);
        QCOMPARE(scene()->selectedNodeIds(), std::vector<std::string>{added.id});
        doc()->undoStack()->undo();
        QCOMPARE(doc()->graph().nodes().size(), size_t{3});
        QVERIFY(!doc()->graph().hasEdge({"n2", 0, added.id, 0}));

        // Two selected: placed beside them but not connected (which one would feed it?).
        scene()->selectNodes({"n1", "n2"});
        doubleClickPalette("ReLU");
        QCOMPARE(doc()->graph().edges().size(), size_t{1});
        doc()->undoStack()->undo();

        // Nothing selected: in the middle of the view, on top of nothing.
        scene()->clearSelection();
        view()->centerOn(cardOf("n2").center());
        doubleClickPalette("Dropout");
        const std::string dropout = doc()->graph().nodes().back().id;
        const QRectF visible = view()->mapToScene(viewport()->rect()).boundingRect();
        QVERIFY(visible.contains(cardOf(dropout)));
        for (const char* id : {"n1", "n2", "n3"})
            QVERIFY2(!cardOf(dropout).intersects(cardOf(id)), id);
        QVERIFY(doc()->graph().inputsOf(dropout).empty());
    }

    // A copy of conv2d_2 is conv2d_3, the next free number, not conv2d_2_2.
    void copiesAreNumberedOn() {
        doc()->reset(residualProject());
        scene()->selectNodes({"c2"});
        QVERIFY(scene()->copySelection());
        QVERIFY(scene()->paste());
        QCOMPARE(doc()->graph().nodes().back().name, std::string("conv2d_3"));
        QVERIFY(scene()->paste());
        QCOMPARE(doc()->graph().nodes().back().name, std::string("conv2d_4"));
        scene()->selectNodes({"c1"});  // "conv2d": also the next free number
        QVERIFY(scene()->duplicateSelection());
        QCOMPARE(doc()->graph().nodes().back().name, std::string("conv2d_5"));
    }

    // A pool stride of 0 means "the pool size": the card and the inspector say so.
    void poolStrideZeroSaysPoolSize() {
        doc()->reset(residualProject());
        const QString summary = node("p")->summaryText();
        QVERIFY2(summary.contains("stride = pool size") && !summary.contains("stride 0"),
                 qPrintable(summary));
        scene()->selectNodes({"p"});
        auto* stride = qobject_cast<QSpinBox*>(m_window->inspector()->editor("stride"));
        QVERIFY(stride);
        QCOMPARE(stride->text(), QString("= pool size"));
        doc()->undoStack()->push(new SetParamCommand(doc(), "p", "stride", int64_t{1}));
        QVERIFY(node("p")->summaryText().contains("stride 1"));
    }

    // "1,28,x" typed as an Input's shape: the dimension "is not a number".
    void shapeTypoIsNotANumber() {
        scene()->selectNodes({"n1"});
        auto* shape = qobject_cast<QLineEdit*>(m_window->inspector()->editor("shape"));
        QVERIFY(shape);
        shape->setFocus();
        shape->selectAll();
        QTest::keyClicks(shape, "1,28,x");
        QTest::keyClick(shape, Qt::Key_Return);
        const QString message = m_window->inspector()->message();
        QVERIFY2(message.contains("\"x\" is not a number"), qPrintable(message));
        QVERIFY(!message.contains("empty dimension"));
        QCOMPARE(doc()->graph().node("n1").params.getString("shape"), std::string("4"));
    }
};

QTEST_MAIN(TestCanvasEditing)
#include "test_canvas_editing.moc"
