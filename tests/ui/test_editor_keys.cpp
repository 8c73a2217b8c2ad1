// The editor driven from the keyboard and by view gestures, with real events on an active
// window: the shortcuts (undo/redo, delete, zoom, clipboard) pressed on the focused canvas,
// panning with the middle button and with Space+drag, and Edit ▸ Undo History (it lists the
// steps by their labels; clicking a step moves the document there).
#include <QtTest>

#include <QDockWidget>
#include <QScrollBar>
#include <QUndoView>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/ports.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

// x (Input 4) → fc1 (Dense) → fc2 (Dense), on a row.
engine::Project chain() {
    return test::threeInARow(true);
}

}  // namespace

class TestEditorKeys : public QObject, public test::WindowFixture {
    Q_OBJECT

    QPointF viewCentre() { return view()->mapToScene(viewport()->rect().center()); }
    bool has(const char* id) { return doc()->graph().findNode(id) != nullptr; }
    int64_t units(const char* id) {
        return effectiveParams(doc()->graph().node(id)).getInt("units");
    }

    // A key combination pressed while the canvas has the focus.
    void press(int key, Qt::KeyboardModifiers mods = {}) {
        QTest::keyClick(view(), Qt::Key(key), mods);
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }

    void init() {
        QVERIFY(openWindow(Wait::Active));
        doc()->reset(chain());
        view()->resetZoom();
        view()->centerOn(450, 40);
        view()->setFocus();
        QTRY_VERIFY(view()->hasFocus());
    }
    void cleanup() { closeWindow(); }

    void undoRedoAndDeleteKeys() {
        m_window->scene()->selectNodes({"n3"});
        press(Qt::Key_Delete);
        QVERIFY(!has("n3"));
        QCOMPARE(doc()->undoStack()->count(), 1);
        press(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(has("n3"));
        QVERIFY(doc()->graph().hasEdge({"n2", 0, "n3", 0}));
        // Every redo binding, each bound once (Ctrl+Shift+Z on X11 desktops, Ctrl+Y on Windows;
        // the offscreen platform uses the Windows key scheme); both work on every platform.
        const QList<QKeySequence> redoKeys = m_window->action("redo")->shortcuts();
        QVERIFY(redoKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Y)));
        QVERIFY(redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
        for (const QKeySequence& keys : redoKeys) {
            QCOMPARE(redoKeys.count(keys), 1);
            QTest::keySequence(view(), keys);
            QVERIFY2(!has("n3"), qPrintable(keys.toString()));
            press(Qt::Key_Z, Qt::ControlModifier);
            QVERIFY(has("n3"));
        }
        press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(!has("n3"));
        doc()->undoStack()->setIndex(1);
        // Backspace deletes too (laptop keyboards).
        m_window->scene()->selectNodes({"n2"});
        press(Qt::Key_Backspace);
        QVERIFY(!has("n2"));
        QCOMPARE(doc()->undoStack()->count(), 2);
        // Nothing selected: Delete changes nothing.
        m_window->scene()->clearSelection();
        press(Qt::Key_Delete);
        QCOMPARE(doc()->undoStack()->count(), 2);
        QCOMPARE(doc()->graph().nodes().size(), size_t(1));
    }

    void redoWithCtrlY() {
        m_window->scene()->selectNodes({"n3"});
        press(Qt::Key_Delete);
        press(Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(has("n3"));
        press(Qt::Key_Y, Qt::ControlModifier);
        QVERIFY(!has("n3"));
    }

    void zoomKeys() {
        QCOMPARE(view()->zoom(), 1.0);
        press(Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(view()->zoom(), 1.25);
        press(Qt::Key_Plus, Qt::ControlModifier);
        QCOMPARE(view()->zoom(), 1.25 * 1.25);
        press(Qt::Key_Minus, Qt::ControlModifier);
        press(Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(qFuzzyCompare(view()->zoom(), 1.0));
        press(Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(view()->zoom() < 0.81);
        // Zooming scales what is drawn: a card takes fewer pixels.
        const QRect card =
            view()->mapFromScene(geom::cardRect(1).translated(doc()->nodePos("n2"))).boundingRect();
        QVERIFY(card.width() < geom::kCardWidth * 0.85);
        press(Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(view()->zoom(), 1.0);
        QCOMPARE(doc()->undoStack()->count(), 0);  // the view is not the document
    }

    void clipboardKeys() {
        m_window->scene()->selectNodes({"n2"});
        press(Qt::Key_C, Qt::ControlModifier);
        press(Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc()->graph().nodes().size(), size_t(4));
        const engine::Node pasted = doc()->graph().nodes().back();
        QCOMPARE(pasted.name, std::string("fc1_2"));
        QCOMPARE(m_window->scene()->selectedNodeIds(), std::vector<std::string>{pasted.id});
        press(Qt::Key_D, Qt::ControlModifier);  // duplicate the pasted copy
        QCOMPARE(doc()->graph().nodes().size(), size_t(5));
        press(Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(m_window->scene()->selectedNodeIds().size(), size_t(5));
        press(Qt::Key_X, Qt::ControlModifier);  // cut everything
        QVERIFY(doc()->graph().nodes().empty());
        press(Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc()->graph().nodes().size(), size_t(5));
        QCOMPARE(doc()->graph().edges().size(), size_t(2));  // the cut edges came back
        QCOMPARE(doc()->undoStack()->count(), 4);
    }

    void middleButtonDragPans() {
        const QPointF before = viewCentre();
        const QPoint from = toView({150, 300});
        const QPoint delta(-120, -80);
        QTest::mousePress(viewport(), Qt::MiddleButton, {}, from);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), from + delta * i / 6);
        QTest::mouseRelease(viewport(), Qt::MiddleButton, {}, from + delta);
        // The canvas followed the hand: the scene moved with the mouse, so the view's centre
        // went the other way.
        QCOMPARE(viewCentre() - before, -QPointF(delta));
        QCOMPARE(doc()->undoStack()->count(), 0);
        QVERIFY(m_window->scene()->selectedNodeIds().empty());
        // Dragging with the middle button over a card pans too; the card stays put.
        const QPointF before2 = viewCentre();
        const QPoint onCard = toView(
            m_window->scene()->nodeItem("n2")->mapToScene(QPointF(geom::kCardWidth / 2, 50)));
        QTest::mousePress(viewport(), Qt::MiddleButton, {}, onCard);
        for (int i = 1; i <= 4; ++i) QTest::mouseMove(viewport(), onCard + QPoint(50, 30) * i / 4);
        QTest::mouseRelease(viewport(), Qt::MiddleButton, {}, onCard + QPoint(50, 30));
        QCOMPARE(viewCentre() - before2, QPointF(-50, -30));
        QCOMPARE(doc()->nodePos("n2"), QPointF(300, 0));
        QCOMPARE(doc()->undoStack()->count(), 0);
    }

    void spaceDragPans() {
        const QPointF before = viewCentre();
        const QPoint from = toView({150, 300});
        const QPoint delta(90, 60);
        QTest::keyPress(view(), Qt::Key_Space);
        QCOMPARE(viewport()->cursor().shape(), Qt::OpenHandCursor);
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        QCOMPARE(viewport()->cursor().shape(), Qt::ClosedHandCursor);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), from + delta * i / 6);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, from + delta);
        QTest::keyRelease(view(), Qt::Key_Space);
        QCOMPARE(viewCentre() - before, -QPointF(delta));
        QCOMPARE(viewport()->cursor().shape(), Qt::ArrowCursor);
        QVERIFY(m_window->scene()->selectedNodeIds().empty());

        // Without Space the same left drag is a rubber band: it selects and does not pan.
        const QPointF still = viewCentre();
        const QPoint a = toView({-40, -40}), b = toView({400, 120});
        QTest::mousePress(viewport(), Qt::LeftButton, {}, a);
        for (int i = 1; i <= 6; ++i) QTest::mouseMove(viewport(), a + (b - a) * i / 6);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, b);
        QCOMPARE(viewCentre(), still);
        QCOMPARE(m_window->scene()->selectedNodeIds(), (std::vector<std::string>{"n1", "n2"}));
    }

    void undoHistoryListsStepsAndJumps() {
        QUndoStack* stack = doc()->undoStack();
        stack->push(new SetParamCommand(doc(), "n2", "units", int64_t{32}));
        stack->push(new RenameCommand(doc(), "n3", "head"));
        m_window->scene()->selectNodes({"n1"});
        press(Qt::Key_Delete);
        QCOMPARE(stack->count(), 3);

        auto* dock = m_window->findChild<QDockWidget*>("historyDock");
        QVERIFY(dock);
        QVERIFY(!dock->isVisible());
        press(Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);  // Edit ▸ Undo History
        QTRY_VERIFY(dock->isVisible());
        auto* history = dock->findChild<QUndoView*>();
        QVERIFY(history);
        QAbstractItemModel* model = history->model();
        QCOMPARE(model->rowCount(), 4);  // the opened project, then one row per step
        QCOMPARE(model->index(0, 0).data().toString(), QString("<opened project>"));
        QCOMPARE(model->index(1, 0).data().toString(), QString("Set Units of 'fc1' to 32"));
        QCOMPARE(model->index(2, 0).data().toString(), QString("Rename 'fc2' to 'head'"));
        QCOMPARE(model->index(3, 0).data().toString(), QString("Delete 'x'"));
        QCOMPARE(history->currentIndex().row(), 3);

        auto click = [&](int row) {
            const QRect r = history->visualRect(model->index(row, 0));
            QVERIFY(r.isValid());
            QTest::mouseClick(history->viewport(), Qt::LeftButton, {}, r.center());
        };
        click(1);  // back to just after the first step
        QCOMPARE(stack->index(), 1);
        QVERIFY(has("n1"));
        QCOMPARE(doc()->graph().node("n3").name, std::string("fc2"));
        QCOMPARE(units("n2"), int64_t(32));
        click(0);  // the project as opened
        QCOMPARE(stack->index(), 0);
        QCOMPARE(units("n2"), int64_t(128));
        click(3);  // everything again
        QCOMPARE(stack->index(), 3);
        QVERIFY(!has("n1"));
        QCOMPARE(doc()->graph().node("n3").name, std::string("head"));
        // Undo by key moves the highlighted row.
        press(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(history->currentIndex().row(), 2);
    }
};

QTEST_MAIN(TestEditorKeys)
#include "test_editor_keys.moc"
