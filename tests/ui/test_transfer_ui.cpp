// Transfer learning in the editor: the lock on a card and in the inspector freezes a layer as
// one undoable step (saved with the project), the learning-rate multiplier is edited and
// refused like any setting, and File ▸ Import Layers from Project… copies trained layers from a
// saved project onto the canvas with their weights bit for bit — or refuses, in the dialog,
// layers whose shapes do not fit where they would be wired, naming the layer and why.
#include <QAction>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QWidget>
#include <QtTest>
#include <cstring>

#include "card_overlap.h"
#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/layers/training_params.h"
#include "engine/model/model.h"
#include "support/same_weights.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_item.h"
#include "ui/commands/transfer_commands.h"
#include "ui/widgets/inspector_widget.h"
#include "ui/window/import_layers_dialog.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

using test::sameTensors;

// The autoencoder sample with weights (a seeded initialisation stands in for training: what
// matters is that the copies are the same numbers), saved where the import dialog can read it.
QString savedAutoencoder(engine::Project* out = nullptr) {
    engine::Project p = engine::loadProject(test::sampleFile("fashion-autoencoder.netloom"));
    engine::ComputeContext ctx;
    engine::Model m(p.model().graph, ctx);
    m.initialize(7, engine::InitScheme::Default);
    p.model().weights = m.weights();
    const QString path = test::tempDir() + "/pretrained-ae.netloom";
    engine::saveProject(p, path.toStdString());
    if (out) *out = p;
    return path;
}

}  // namespace

class TestTransferUi : public QObject, public test::WindowFixture {
    Q_OBJECT

    const engine::Node& node(const std::string& name) {
        const engine::Node* n = doc()->graph().findNodeByName(name);
        if (!n) throw Error("no layer " + name);
        return *n;
    }
    QPoint lockOf(const std::string& id) {
        NodeItem* item = m_window->scene()->nodeItem(id);
        return view()->mapFromScene(item->mapToScene(item->lockRect().center()));
    }
    ImportLayersDialog* openImportDialog(const QString& path) {
        m_prompter.openAnswer = path;
        m_window->findChild<QAction*>("importLayers")->trigger();
        return m_window->findChild<ImportLayersDialog*>();
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        QVERIFY(openWindow());
        doc()->load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
    }
    void cleanup() { closeWindow(); }

    void lockOnTheCardFreezesAndUndoes() {
        const std::string fc1 = node("fc1").id;
        m_window->view()->centerOn(m_window->scene()->nodeItem(fc1));
        QVERIFY(m_window->scene()->nodeItem(fc1)->showsLock());
        QVERIFY(!m_window->scene()->nodeItem(node("relu1").id)->showsLock());  // no parameters

        QTest::mouseClick(viewport(), Qt::LeftButton, {}, lockOf(fc1));
        QVERIFY(engine::isFrozen(node("fc1").params));
        QCOMPARE(doc()->undoStack()->undoText(), QString("Freeze 'fc1'"));
        QVERIFY(doc()->isModified());
        m_window->action("undo")->trigger();
        QVERIFY(!engine::isFrozen(node("fc1").params));
        m_window->action("redo")->trigger();
        QVERIFY(engine::isFrozen(node("fc1").params));
        // Clicking the closed lock unfreezes.
        QTest::mouseClick(viewport(), Qt::LeftButton, {}, lockOf(fc1));
        QVERIFY(!engine::isFrozen(node("fc1").params));
        QCOMPARE(doc()->undoStack()->undoText(), QString("Unfreeze 'fc1'"));
        QCOMPARE(doc()->undoStack()->count(), 2);
        // NETLOOM_SCREENSHOT_DIR: the cards with fc1 locked and fc2 at ×0.5, to look at.
        const QString shots = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            QTest::mouseClick(viewport(), Qt::LeftButton, {}, lockOf(fc1));
            doc()->undoStack()->push(new SetLrMultiplierCommand(doc(), node("fc2").id, 0.5));
            m_window->scene()->selectNodes({node("fc2").id});
            m_window->view()->centerOn(m_window->scene()->nodeItem(fc1));
            QTest::qWait(200);
            QVERIFY(m_window->grab().save(shots + "/screenshot-transfer-lock.png"));
        }
    }

    void inspectorFreezesAndSetsTheMultiplier() {
        const std::string fc2 = node("fc2").id;
        m_window->scene()->selectNodes({fc2});
        InspectorWidget* inspector = m_window->inspector();
        QCOMPARE(inspector->nodeId(), fc2);
        QTRY_VERIFY(inspector->frozenBox()->isVisibleTo(inspector));  // the form shows queued
        inspector->frozenBox()->setChecked(true);
        QVERIFY(engine::isFrozen(node("fc2").params));
        QCOMPARE(doc()->undoStack()->undoText(), QString("Freeze 'fc2'"));
        QVERIFY(!inspector->lrMultiplierBox()->isEnabled());  // frozen: no rate to scale
        m_window->action("undo")->trigger();
        QVERIFY(!inspector->frozenBox()->isChecked());  // the inspector follows undo
        QVERIFY(inspector->lrMultiplierBox()->isEnabled());

        inspector->lrMultiplierBox()->setValue(0.5);
        QCOMPARE(engine::lrMultiplierOf(node("fc2").params), 0.5);
        QCOMPARE(doc()->undoStack()->undoText(),
                 QString("Set learning-rate multiplier of 'fc2' to 0.5"));
        // Refused with the setting and the layer named (the spin box's range already stops a
        // negative value; the command is the rule's last line).
        const QString refusal = test::errorOf([&] { SetLrMultiplierCommand(doc(), fc2, -1); });
        QVERIFY2(refusal.contains("multiplier of 'fc2'") && refusal.contains("got -1"),
                 qPrintable(refusal));
        QVERIFY(test::errorOf([&] {
                    SetLrMultiplierCommand(doc(), fc2, std::nan(""));
                }).contains("finite"));

        // Saved and opened again, the flags are there.
        inspector->frozenBox()->setChecked(true);
        const QString path = test::tempDir() + "/frozen.netloom";
        doc()->save(path);
        doc()->load(path);
        QVERIFY(engine::isFrozen(node("fc2").params));
        QCOMPARE(engine::lrMultiplierOf(node("fc2").params), 0.5);
        QVERIFY(!engine::isFrozen(node("fc1").params));
    }

    void importsLayersFromASavedProject() {
        engine::Project source;
        const QString path = savedAutoencoder(&source);
        const size_t before = doc()->graph().nodes().size();
        ImportLayersDialog* dialog = openImportDialog(path);
        QVERIFY(dialog);
        QCOMPARE(dialog->layerList()->count(), 10);  // every layer of the autoencoder
        QVERIFY(dialog->layerList()->item(2)->text().contains("trained weights"));
        dialog->setChosenLayers({"enc1", "relu1", "code"});
        dialog->setAttachTo("flatten");
        QVERIFY2(dialog->tryImport(), qPrintable(dialog->problem()));
        QCOMPARE(doc()->graph().nodes().size(), before + 3);
        QCOMPARE(doc()->undoStack()->undoText(),
                 QString("Import 3 layers from pretrained-ae.netloom"));

        // The copies carry the source's trained tensors bit for bit; enc1 is fed by flatten.
        const engine::Graph& src = source.model().graph;
        const std::string enc1 = node("enc1").id, code = node("code").id;
        QVERIFY(sameTensors(doc()->project().model().weights.at(enc1),
                            source.model().weights.at(src.findNodeByName("enc1")->id)));
        QVERIFY(sameTensors(doc()->project().model().weights.at(code),
                            source.model().weights.at(src.findNodeByName("code")->id)));
        QVERIFY(doc()->graph().hasEdge({node("flatten").id, 0, enc1, 0}));
        QVERIFY(doc()->graph().findNodeByName("relu1_2"));  // renamed: the MLP has a relu1
        QVERIFY(m_window->scene()->nodeItem(enc1));         // on the canvas
        const QString overlap = test::overlappingCards(m_window->scene(), doc()->graph());
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));  // right of the graph, on no card

        // Undo takes layers and weights away; redo brings both back.
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), before);
        QVERIFY(!doc()->project().model().weights.count(enc1));
        m_window->action("redo")->trigger();
        QVERIFY(sameTensors(doc()->project().model().weights.at(enc1),
                            source.model().weights.at(src.findNodeByName("enc1")->id)));

        // Saved with the project, they survive the file.
        const QString saved = test::tempDir() + "/with-encoder.netloom";
        doc()->save(saved);
        const engine::Project reread = engine::loadProject(saved.toStdString());
        QVERIFY(sameTensors(reread.model().weights.at(enc1),
                            source.model().weights.at(src.findNodeByName("enc1")->id)));
    }

    void refusesLayersThatDoNotFitWhereTheyAreWired() {
        const QString path = savedAutoencoder();
        const engine::Graph graphBefore = doc()->graph();
        ImportLayersDialog* dialog = openImportDialog(path);
        QVERIFY(dialog);
        dialog->setChosenLayers({"enc1", "relu1", "code"});
        dialog->setAttachTo("fc1");  // 256 values, the encoder was trained on 784
        QVERIFY(!dialog->tryImport());
        const QString problem = dialog->problem();
        QVERIFY2(problem.contains("'enc1' does not fit after 'fc1'") &&
                     problem.contains("256×784") && problem.contains("256×256"),
                 qPrintable(problem));
        QVERIFY(dialog->findChild<QLabel*>("importProblem")->isVisibleTo(dialog));
        QVERIFY(dialog->isVisible());  // still open for another choice
        QVERIFY(doc()->graph() == graphBefore);
        QCOMPARE(doc()->undoStack()->count(), 0);
        // Nothing chosen is refused too.
        dialog->setChosenLayers({});
        QVERIFY(!dialog->tryImport());
        QVERIFY(dialog->problem().contains("choose at least one layer"));

        // A file that is not a project goes to the prompter and opens no dialog.
        dialog->close();
        QTRY_VERIFY(!m_window->findChild<ImportLayersDialog*>());
        const QString junk = test::tempDir() + "/junk.netloom";
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not json");
        f.close();
        m_prompter.errors.clear();
        QVERIFY(!openImportDialog(junk));
        QCOMPARE(m_prompter.errors.size(), 1);
        QVERIFY(m_prompter.errors[0].contains("junk.netloom"));
    }
};

QTEST_MAIN(TestTransferUi)
#include "test_transfer_ui.moc"
