// The acceptance gesture: rebuild each reference sample in a blank window with the
// mouse and keyboard only — drag layers from the palette onto the canvas, drag connections
// between ports, click a card and set its name and parameters in the inspector (text typed,
// choices clicked in the combo box's popup, check boxes clicked), click the "Training settings"
// tab and set the training the same way — then save, reopen, and compare with the sample,
// trained.
//
// ctest runs every row offscreen (ui_test_rebuild_sample; that platform cannot run a drag, so
// the drag the palette starts is delivered by hand, see dragFromPalette) and the fashion-cnn row
// again in a real X server, where the palette drag is a real one end to end
// (ui_test_rebuild_sample_xvfb: xvfb-run, QT_QPA_PLATFORM=xcb). Trained, the rebuilt project and
// the sample are compared on one epoch of a 1,280-image subset; with NETLOOM_FULL_TRAINING=1 the
// fashion-cnn row trains both with their full settings (2 epochs on all 60,000 images) and also
// requires a test accuracy of at least 0.89 (a few minutes per run on two cores; Qt Test's
// watchdog stops a test function after 5 minutes unless QTEST_FUNCTION_TIMEOUT says otherwise):
//   NETLOOM_FULL_TRAINING=1 QTEST_FUNCTION_TIMEOUT=3600000 QT_QPA_PLATFORM=xcb \
//       xvfb-run -a -s "-screen 0 1920x1200x24" \
//       build/tests/ui_test_rebuild_sample rebuildWithMouseAndKeyboard:fashion-cnn
#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDrag>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabBar>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <memory>

#include "engine/io/project_io.h"
#include "engine/layers/registry.h"
#include "engine/project/project.h"
#include "engine/tasks/trainer_for.h"
#include "engine/train/trainer.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/palette_widget.h"
#include "ui/canvas/ports.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

// Runs a helper that checks with QVERIFY/QCOMPARE and leaves the test function if it failed.
#define STEP(call)                              \
    do {                                        \
        call;                                   \
        if (QTest::currentTestFailed()) return; \
    } while (false)

namespace {

QTreeWidgetItem* paletteItem(PaletteWidget* palette, const std::string& type) {
    QTreeWidget* tree = palette->tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i) {
            QTreeWidgetItem* item = tree->topLevelItem(g)->child(i);
            if (item->data(0, Qt::UserRole + 1).toString() == QString::fromStdString(type))
                return item;
        }
    return nullptr;
}

// Drags a palette entry onto the canvas as a person does: press on the entry, move past the
// drag distance, move over the canvas, release. The tree then starts a real QDrag. Under X,
// QDrag::exec runs a nested event loop driven by QXcbDrag, which watches the mouse through an
// application event filter and delivers DragEnter/Move/Drop to the window under the pointer;
// the moves over the canvas and the release must happen inside that loop, so they are queued on
// a timer before the move that starts the drag.
// The offscreen platform cannot run a drag (its QDrag::exec returns IgnoreAction at once), so
// there, and only there, the drag the palette started is delivered by hand: its own mime data
// in DragEnter/DragMove/Drop events sent to the canvas, each required to be accepted.
void dragFromPalette(QTreeWidget* tree, QTreeWidgetItem* item, QWidget* canvas, QPoint target) {
    tree->scrollToItem(item);  // what the wheel does when the entry is out of sight
    QWidget* source = tree->viewport();
    const QPoint start = tree->visualItemRect(item).center();
    QVERIFY(source->rect().contains(start));
    const QPoint startOnCanvas = canvas->mapFromGlobal(source->mapToGlobal(start));

    bool dragging = false, released = false;
    QTimer insideDrag;
    insideDrag.setSingleShot(true);
    QObject::connect(&insideDrag, &QTimer::timeout, [&] {
        if (!dragging) return;  // the drag did not start: nothing to drive
        for (int s = 1; s <= 8; ++s)
            QTest::mouseMove(canvas, startOnCanvas + (target - startOnCanvas) * s / 8);
        QTest::mouseRelease(canvas, Qt::LeftButton, {}, target);
        released = true;
    });
    QTest::mousePress(source, Qt::LeftButton, {}, start);
    QTest::mouseMove(source, start + QPoint(2, 1));  // within the drag distance: still a press
    insideDrag.start(0);
    dragging = true;
    // Past the drag distance: QAbstractItemView::startDrag → QDrag::exec, back after the drop.
    QTest::mouseMove(source, start + QPoint(QApplication::startDragDistance() + 6, 2));
    dragging = false;
    if (released) {
        // The drag re-posts the release to the window under the pointer; deliver it now, not
        // inside the next drag's loop.
        QCoreApplication::processEvents();
        return;
    }
    QTest::mouseRelease(source, Qt::LeftButton, {}, start);
    QVERIFY2(QGuiApplication::platformName() == "offscreen",
             "pressing and moving on a palette entry did not drag it onto the canvas");
    // The drag this gesture started, finished and left for deleteLater (the only one: each is
    // deleted below).
    const QList<QDrag*> drags = tree->findChildren<QDrag*>();
    QVERIFY2(drags.size() == 1 && drags[0]->mimeData(),
             "pressing and moving on a palette entry started no drag");
    const std::unique_ptr<QDrag> drag(drags[0]);
    QMimeData* mime = drag->mimeData();
    QDragEnterEvent enter(target, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(target, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
    QVERIFY(move.isAccepted());
    QDropEvent drop(QPointF(target), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &drop);
    QVERIFY(drop.isAccepted());
}

// Waits until an editor is on screen (editors appear once the event loop has run, as on screen)
// and scrolls its panel to it if it is out of sight, as a person would with the wheel.
void bringIntoView(QWidget* w) {
    QTRY_VERIFY(w->isVisible());
    for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
        if (auto* area = qobject_cast<QScrollArea*>(p)) area->ensureWidgetVisible(w, 0, 0);
    QVERIFY2(w->visibleRegion().contains(w->rect().center()), "the editor is out of sight");
}

// Clicks the combo box, moves the mouse over the entry in its popup list and clicks it. (The
// popup ignores a release within a double-click interval of the press that opened it unless the
// mouse travelled more than a few pixels since: the move over the entry is part of the gesture.)
void chooseWithMouse(QComboBox* combo, int index) {
    QVERIFY2(index >= 0, qPrintable(combo->objectName()));
    bringIntoView(combo);
    if (QTest::currentTestFailed()) return;
    QTest::mouseClick(combo, Qt::LeftButton);
    QAbstractItemView* list = combo->view();
    QTRY_VERIFY(list->isVisible());
    const QModelIndex entry =
        combo->model()->index(index, combo->modelColumn(), combo->rootModelIndex());
    list->scrollTo(entry);
    const QPoint at = list->visualRect(entry).center();
    QVERIFY(list->viewport()->rect().contains(at));
    for (const QPoint p : {at + QPoint(12, 0), at}) {  // QTest moves only with a button held
        QMouseEvent hover(QEvent::MouseMove, p, list->viewport()->mapToGlobal(p), Qt::NoButton,
                          Qt::NoButton, Qt::NoModifier);
        QSpontaneKeyEvent::setSpontaneous(&hover);
        qApp->notify(list->viewport(), &hover);
    }
    QCOMPARE(list->currentIndex(), entry);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTRY_VERIFY(!list->isVisible());
    QCOMPARE(combo->currentIndex(), index);
}

void clickTab(QWidget* window, const QString& text) {
    for (QTabBar* bar : window->findChildren<QTabBar*>())
        for (int i = 0; i < bar->count(); ++i)
            if (bar->tabText(i) == text && bar->isVisible()) {
                QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
                QCOMPARE(bar->currentIndex(), i);
                return;
            }
    QFAIL(qPrintable("no visible tab " + text));
}

// Click, select-all, type, Enter: what a person does in a field.
void typeInto(QWidget* w, const QString& text) {
    bringIntoView(w);
    if (QTest::currentTestFailed()) return;
    QTest::mouseClick(w, Qt::LeftButton);
    w->setFocus();
    QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(w, text);
    QTest::keyClick(w, Qt::Key_Return);
}

QString valueText(const engine::ParamValue& v) {
    return QString::fromStdString(engine::paramValueToString(v));
}

}  // namespace

class TestRebuildSample : public QObject {
    Q_OBJECT
    test::ScriptedPrompter m_prompter;

private slots:
    void initTestCase() {
        test::isolateSettings();
        setPrompter(&m_prompter);
        qInfo() << "platform" << QGuiApplication::platformName();
    }
    void cleanupTestCase() { setPrompter(nullptr); }

    void rebuildWithMouseAndKeyboard_data() {
        QTest::addColumn<QString>("sample");
        QTest::newRow("fashion-mlp") << "fashion-mlp.netloom";
        QTest::newRow("fashion-cnn") << "fashion-cnn.netloom";
        QTest::newRow("fashion-autoencoder") << "fashion-autoencoder.netloom";
        QTest::newRow("fashion-conv-autoencoder") << "fashion-conv-autoencoder.netloom";
    }
    void rebuildWithMouseAndKeyboard() {
        QFETCH(QString, sample);
        const std::string path = test::sampleFile(sample.toStdString());
        QVERIFY2(QFile::exists(QString::fromStdString(path)), path.c_str());
        const engine::Project reference = engine::loadProject(path);
        const engine::Graph& ref = reference.model().graph;

        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.document()->graph().nodes().empty());
        QWidget* viewport = w.view()->viewport();
        w.view()->resetZoom();
        w.view()->centerOn(500, 260);
        auto toView = [&](QPointF p) { return w.view()->mapFromScene(p); };

        // 1. Drag every layer from the palette onto a grid of 4 columns.
        std::map<std::string, std::string> idOf;  // reference id → new id
        int i = 0;
        for (const engine::Node& n : ref.nodes()) {
            const QPointF centre(110 + (i % 4) * 260, 60 + (i / 4) * 150);
            ++i;
            QTreeWidgetItem* entry = paletteItem(w.palette(), n.type);
            QVERIFY2(entry, n.type.c_str());
            const size_t before = w.document()->graph().nodes().size();
            STEP(dragFromPalette(w.palette()->tree(), entry, viewport, toView(centre)));
            QCOMPARE(w.document()->graph().nodes().size(), before + 1);
            QCOMPARE(QString::fromStdString(w.document()->graph().nodes().back().type),
                     QString::fromStdString(n.type));
            idOf[n.id] = w.document()->graph().nodes().back().id;
        }
        QCOMPARE(w.document()->graph().nodes().size(), ref.nodes().size());

        // 2. Connect with the mouse, output port → input port.
        for (const engine::Edge& e : ref.edges()) {
            NodeItem* from = w.scene()->nodeItem(idOf[e.from]);
            NodeItem* to = w.scene()->nodeItem(idOf[e.to]);
            const QPoint a = toView(from->outputPortScenePos());
            const QPoint b = toView(to->inputPortScenePos(e.toPort));
            QTest::mousePress(viewport, Qt::LeftButton, {}, a);
            for (int s = 1; s <= 5; ++s) QTest::mouseMove(viewport, a + (b - a) * s / 5);
            QTest::mouseRelease(viewport, Qt::LeftButton, {}, b);
            QVERIFY2(w.document()->graph().hasEdge({idOf[e.from], 0, idOf[e.to], e.toPort}),
                     qPrintable(QString::fromStdString(e.from + " -> " + e.to)));
        }

        // 3. Click each card, set its name and parameters in the inspector.
        for (const engine::Node& n : ref.nodes()) {
            NodeItem* item = w.scene()->nodeItem(idOf[n.id]);
            QTest::mouseClick(viewport, Qt::LeftButton, {},
                              toView(item->mapToScene(QPointF(geom::kCardWidth / 2, 60))));
            QCOMPARE(w.inspector()->nodeId(), idOf[n.id]);
            STEP(typeInto(w.inspector()->nameEdit(), QString::fromStdString(n.name)));
            for (const auto& [key, value] : n.params.values()) {
                QWidget* editor = w.inspector()->editor(key);
                QVERIFY2(editor, key.c_str());
                if (auto* combo = qobject_cast<QComboBox*>(editor)) {
                    STEP(chooseWithMouse(combo, combo->findText(valueText(value))));
                } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
                    STEP(bringIntoView(check));
                    if (check->isChecked() != std::get<bool>(value))
                        QTest::mouseClick(check, Qt::LeftButton);
                    QCOMPARE(check->isChecked(), std::get<bool>(value));
                } else {
                    STEP(typeInto(editor, valueText(value)));
                }
            }
        }

        // 4. Training settings: their tab, then choices clicked and numbers typed.
        STEP(clickTab(&w, "Training settings"));
        const engine::TrainingConfig& t = reference.training;
        TrainingSettingsWidget* settings = w.trainingSettings();
        auto choose = [&](const char* field, const std::string& id) {
            auto* combo = qobject_cast<QComboBox*>(settings->editor(field));
            QVERIFY2(combo, field);
            chooseWithMouse(combo, combo->findData(QString::fromStdString(id)));
        };
        STEP(choose("task", t.task));
        STEP(choose("loss", t.loss));
        STEP(choose("optimizer", t.optimizer.type));
        STEP(typeInto(settings->editor("lr"), QString::number(t.optimizer.lr, 'g', 10)));
        if (t.optimizer.type == "adam" || t.optimizer.type == "adamw") {
            STEP(typeInto(settings->editor("beta1"), QString::number(t.optimizer.beta1, 'g', 10)));
            STEP(typeInto(settings->editor("beta2"), QString::number(t.optimizer.beta2, 'g', 10)));
        }
        STEP(typeInto(settings->editor("batch_size"), QString::number(t.batchSize)));
        STEP(typeInto(settings->editor("epochs"), QString::number(t.epochs)));
        STEP(choose("dataset.kind", t.dataset.kind));
        STEP(choose("dataset.scaling", t.dataset.scaling));
        STEP(choose("init", t.init));

        // 5. Same network and settings as the sample.
        const engine::Graph& g = w.document()->graph();
        for (const engine::Node& n : ref.nodes()) {
            const engine::Node& built = g.node(idOf[n.id]);
            QCOMPARE(built.name, n.name);
            QCOMPARE(built.type, n.type);
            QVERIFY2(effectiveParams(built) == effectiveParams(n), n.name.c_str());
        }
        QCOMPARE(g.edges().size(), ref.edges().size());
        QVERIFY(w.document()->analysis().ok());
        QCOMPARE(w.document()->analysis().totalParameters,
                 engine::analyzeGraph(ref).totalParameters);
        const engine::TrainingConfig& built = w.document()->training();
        QCOMPARE(built.task, t.task);
        QCOMPARE(built.loss, t.loss);
        QCOMPARE(built.optimizer, t.optimizer);
        QCOMPARE(built.batchSize, t.batchSize);
        QCOMPARE(built.epochs, t.epochs);
        QCOMPARE(built.dataset.kind, t.dataset.kind);
        QCOMPARE(built.dataset.scaling, t.dataset.scaling);
        QCOMPARE(built.init, t.init);
        QCOMPARE(built.seed, t.seed);
        QVERIFY(w.action("train")->isEnabled());

        // 6. Save, reopen: identical.
        m_prompter.saveFileAnswer = test::tempDir() + "/rebuilt-" + sample;
        QVERIFY(w.save());
        MainWindow again;
        QVERIFY(again.openFile(m_prompter.saveFileAnswer));
        QCOMPARE(again.document()->serialize(), w.document()->serialize());

        // 7. Trained, the rebuilt network learns exactly what the sample learns (same seed, same
        // data). By default one epoch on a subset keeps the test quick; NETLOOM_FULL_TRAINING=1
        // trains the fashion-cnn row with the sample's full settings.
        const bool full = sample == "fashion-cnn.netloom" &&
                          qEnvironmentVariableIntValue("NETLOOM_FULL_TRAINING") == 1;
        auto train = [full](const engine::Project& p, const char* which) {
            engine::TrainingConfig c = p.training;
            if (!full) {
                c.epochs = 1;
                c.dataset.limitTrain = 1280;
                c.dataset.limitTest = 500;
            }
            return engine::trainerFor(p.model().graph, c).run([&](const engine::RunEvent& e) {
                if (full && e.kind == engine::RunEvent::Kind::Epoch)
                    qInfo(
                        "%s: epoch %lld/%lld (%lld batches of %lld), "
                        "loss %.4f, accuracy %.4f (%.0f s)",
                        which, static_cast<long long>(e.epoch), static_cast<long long>(e.epochs),
                        static_cast<long long>(e.stepsPerEpoch),
                        static_cast<long long>(c.batchSize), e.loss(), e.accuracy(),
                        e.elapsedSeconds);
            });
        };
        const engine::RunRecord rebuilt =
            train(engine::loadProject(m_prompter.saveFileAnswer.toStdString()), "rebuilt");
        const engine::RunRecord original = train(engine::loadProject(path), "sample");
        QCOMPARE(QString::fromStdString(rebuilt.status), QString("finished"));
        QCOMPARE(QString::fromStdString(original.status), QString("finished"));
        qInfo(
            "%s: rebuilt test accuracy %.4f loss %.5f, sample %.4f loss %.5f (%s, %.0f s + %.0f s)",
            qPrintable(sample), rebuilt.testAccuracy, rebuilt.testLoss, original.testAccuracy,
            original.testLoss, full ? "full training" : "1 epoch on 1,280 images", rebuilt.seconds,
            original.seconds);
        if (reference.training.task == "classification") QVERIFY(rebuilt.testAccuracy > 0.3);
        QVERIFY(std::isfinite(rebuilt.testLoss));
        QCOMPARE(rebuilt.testAccuracy, original.testAccuracy);
        QCOMPARE(rebuilt.testLoss, original.testLoss);
        if (full) {
            QCOMPARE(int64_t(rebuilt.epochs.size()), t.epochs);
            QVERIFY2(rebuilt.testAccuracy >= 0.89,
                     qPrintable(QString::number(rebuilt.testAccuracy)));
        }
    }
};

QTEST_MAIN(TestRebuildSample)
#include "test_rebuild_sample.moc"
