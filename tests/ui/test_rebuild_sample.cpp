// The acceptance gesture: rebuild each reference sample in a blank window with the
// mouse and keyboard only — drag layers from the palette onto the canvas, drag connections
// between ports, click a card and type its name and parameters into the inspector, type the
// training settings — then save, reopen, and compare with the sample.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>

#include "engine/io/project.h"
#include "engine/layers/registry.h"
#include "engine/train/trainer.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/graph_scene.h"
#include "ui/graph_view.h"
#include "ui/inspector_widget.h"
#include "ui/main_window.h"
#include "ui/node_geometry.h"
#include "ui/node_item.h"
#include "ui/palette_widget.h"
#include "ui/ports.h"
#include "ui/training_settings_widget.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

QMimeData* paletteMime(PaletteWidget* palette, const std::string& type) {
    QTreeWidget* tree = palette->tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i)
            if (tree->topLevelItem(g)->child(i)->data(0, Qt::UserRole + 1).toString() ==
                QString::fromStdString(type))
                return tree->model()->mimeData(
                    {tree->model()->index(i, 0, tree->model()->index(g, 0))});
    return nullptr;
}

// Select-all, type, Enter: what a person does in a field.
void typeInto(QWidget* w, const QString& text) {
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
        QWidget* viewport = w.view()->viewport();
        w.view()->resetZoom();
        w.view()->centerOn(500, 260);
        auto toView = [&](QPointF p) { return w.view()->mapFromScene(p); };

        // 1. Drop every layer from the palette on a grid of 4 columns.
        std::map<std::string, std::string> idOf;  // reference id → new id
        int i = 0;
        for (const engine::Node& n : ref.nodes()) {
            const QPointF centre(110 + (i % 4) * 260, 60 + (i / 4) * 150);
            ++i;
            QMimeData* mime = paletteMime(w.palette(), n.type);
            QVERIFY2(mime, n.type.c_str());
            const QPoint pos = toView(centre);
            QDragEnterEvent enter(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(viewport, &enter);
            QDragMoveEvent move(pos, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(viewport, &move);
            QVERIFY(move.isAccepted());
            QDropEvent drop(QPointF(pos), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(viewport, &drop);
            delete mime;
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

        // 3. Click each card, type its name and parameters into the inspector.
        for (const engine::Node& n : ref.nodes()) {
            NodeItem* item = w.scene()->nodeItem(idOf[n.id]);
            QTest::mouseClick(viewport, Qt::LeftButton, {},
                              toView(item->mapToScene(QPointF(geom::kCardWidth / 2, 60))));
            QCOMPARE(w.inspector()->nodeId(), idOf[n.id]);
            typeInto(w.inspector()->nameEdit(), QString::fromStdString(n.name));
            for (const auto& [key, value] : n.params.values()) {
                QWidget* editor = w.inspector()->editor(key);
                QVERIFY2(editor, key.c_str());
                if (auto* combo = qobject_cast<QComboBox*>(editor)) {
                    combo->setCurrentIndex(combo->findText(valueText(value)));
                    emit combo->activated(combo->currentIndex());
                } else if (auto* check = qobject_cast<QCheckBox*>(editor)) {
                    if (check->isChecked() != std::get<bool>(value))
                        QTest::mouseClick(check, Qt::LeftButton);
                } else {
                    typeInto(editor, valueText(value));
                }
            }
        }

        // 4. Training settings, typed.
        const engine::TrainingConfig& t = reference.training;
        TrainingSettingsWidget* settings = w.trainingSettings();
        auto choose = [&](const char* field, const std::string& id) {
            auto* combo = qobject_cast<QComboBox*>(settings->editor(field));
            combo->setCurrentIndex(combo->findData(QString::fromStdString(id)));
            emit combo->activated(combo->currentIndex());
        };
        choose("task", t.task);
        choose("loss", t.loss);
        choose("optimizer", t.optimizer.type);
        typeInto(settings->editor("lr"), QString::number(t.optimizer.lr, 'g', 10));
        if (t.optimizer.type == "adam" || t.optimizer.type == "adamw") {
            typeInto(settings->editor("beta1"), QString::number(t.optimizer.beta1, 'g', 10));
            typeInto(settings->editor("beta2"), QString::number(t.optimizer.beta2, 'g', 10));
        }
        typeInto(settings->editor("batchSize"), QString::number(t.batchSize));
        typeInto(settings->editor("epochs"), QString::number(t.epochs));
        choose("dataset.kind", t.dataset.kind);
        choose("dataset.scaling", t.dataset.scaling);
        choose("init", t.init);

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
        QCOMPARE(w.document()->training().task, t.task);
        QCOMPARE(w.document()->training().loss, t.loss);
        QCOMPARE(w.document()->training().optimizer, t.optimizer);
        QCOMPARE(w.document()->training().batchSize, t.batchSize);
        QCOMPARE(w.document()->training().epochs, t.epochs);
        QCOMPARE(w.document()->training().dataset.kind, t.dataset.kind);
        QCOMPARE(w.document()->training().init, t.init);
        QVERIFY(w.action("train")->isEnabled());

        // 6. Save, reopen: identical.
        m_prompter.saveFileAnswer = test::tempDir() + "/rebuilt-" + sample;
        QVERIFY(w.save());
        MainWindow again;
        QVERIFY(again.openFile(m_prompter.saveFileAnswer));
        QCOMPARE(again.document()->serialize(), w.document()->serialize());

        // 7. Trained, the rebuilt network learns exactly what the sample learns (same seed,
        // same data; a subset keeps the test quick).
        auto trainOneEpoch = [](const engine::Project& p) {
            engine::TrainingConfig c = p.training;
            c.epochs = 1;
            c.dataset.limitTrain = 1280;
            c.dataset.limitTest = 500;
            return engine::Trainer(p.model().graph, c).run([](const engine::TrainingEvent&) {});
        };
        const engine::RunRecord rebuilt =
            trainOneEpoch(engine::loadProject(m_prompter.saveFileAnswer.toStdString()));
        const engine::RunRecord original = trainOneEpoch(engine::loadProject(path));
        QCOMPARE(QString::fromStdString(rebuilt.status), QString("finished"));
        if (reference.training.task == "classification") QVERIFY(rebuilt.testAccuracy > 0.3);
        QVERIFY(std::isfinite(rebuilt.testLoss));
        QCOMPARE(rebuilt.testAccuracy, original.testAccuracy);
        QCOMPARE(rebuilt.testLoss, original.testLoss);
    }
};

QTEST_MAIN(TestRebuildSample)
#include "test_rebuild_sample.moc"
