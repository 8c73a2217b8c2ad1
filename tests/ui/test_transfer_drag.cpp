// Transfer learning by drag and drop: File ▸ Open Project Beside… shows a second project
// read-only in the "Project beside" dock; a selection of its layers dragged onto the canvas
// (the drop events a real drag sends, carrying the list's own drag data) is imported with its
// trained weights bit for bit, fed by the card it was dropped on, as one undo step that undo
// takes back, in free space so that no card lies on another; dropped where the shapes do not
// fit it is refused, naming the layer and why.
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDropEvent>
#include <QListWidget>
#include <QMimeData>
#include <QStatusBar>
#include <QtTest>
#include <cstring>

#include "card_overlap.h"
#include "engine/core/compute.h"
#include "engine/io/project_io.h"
#include "engine/model/model.h"
#include "support/same_weights.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_item.h"
#include "ui/canvas/project_layers_mime.h"
#include "ui/commands/structure_commands.h"
#include "ui/window/beside_project_view.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

using test::sameTensors;

// The autoencoder sample with seeded weights standing in for trained ones, saved to a file.
QString savedAutoencoder(engine::Project* out) {
    engine::Project p = engine::loadProject(test::sampleFile("fashion-autoencoder.netloom"));
    engine::ComputeContext ctx;
    engine::Model m(p.model().graph, ctx);
    m.initialize(11, engine::InitScheme::Default);
    p.model().weights = m.weights();
    const QString path = test::tempDir() + "/pretrained-ae.netloom";
    engine::saveProject(p, path.toStdString());
    *out = p;
    return path;
}

}  // namespace

class TestTransferDrag : public QObject, public test::WindowFixture {
    Q_OBJECT

    const engine::Node& node(const std::string& name) {
        const engine::Node* n = doc()->graph().findNodeByName(name);
        if (!n) throw Error("no layer " + name);
        return *n;
    }
    BesideProjectView* openBeside(const QString& path) {
        m_prompter.openAnswer = path;
        m_window->findChild<QAction*>("openBeside")->trigger();
        return m_window->findChild<BesideProjectView*>("besideProjectView");
    }
    // What a drag ending over the card of `onto` sends the canvas: enter, move, drop.
    void dropOnCard(QMimeData* mime, const std::string& onto) {
        NodeItem* card = m_window->scene()->nodeItem(onto);
        m_window->view()->centerOn(card);
        const QPoint at = toView(card->sceneBoundingRect().center());
        QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(at, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &move);
        QDropEvent drop(at, Qt::CopyAction, mime, Qt::LeftButton, {});
        QApplication::sendEvent(viewport(), &drop);
        QVERIFY(drop.isAccepted());
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        QVERIFY(openWindow());
        doc()->load(QString::fromStdString(test::sampleFile("fashion-mlp.netloom")));
    }
    void cleanup() { closeWindow(); }

    void dragsTrainedLayersFromTheProjectBeside() {
        engine::Project source;
        const QString path = savedAutoencoder(&source);
        BesideProjectView* beside = openBeside(path);
        QVERIFY(beside);
        QVERIFY(m_window->findChild<QDockWidget*>("besideDock")->isVisible());
        QCOMPARE(beside->layerList()->count(), 10);  // every layer of the autoencoder
        QVERIFY(beside->layerList()->item(2)->text().contains("enc1"));
        QVERIFY(beside->layerList()->item(2)->text().contains("trained"));
        QVERIFY(beside->layerList()->item(2)->text().contains("256×784"));
        QVERIFY2(beside->status().contains("read-only"), qPrintable(beside->status()));
        QVERIFY(beside->layerList()->dragEnabled());

        beside->selectLayers({"enc1", "relu1", "code"});
        std::unique_ptr<QMimeData> mime(beside->selectionMimeData());
        const auto drag = projectLayersFromMime(mime.get());
        QVERIFY(drag);
        QCOMPARE(drag->nodeIds.size(), size_t(3));
        const size_t before = doc()->graph().nodes().size();
        const engine::Graph graphBefore = doc()->graph();

        // Dropped on fc1 (256 values; the encoder was trained on 784): refused, named, nothing
        // changes.
        dropOnCard(mime.get(), node("fc1").id);
        const QString refusal = m_window->statusBar()->currentMessage();
        QVERIFY2(refusal.contains("'enc1' does not fit after 'fc1'") && refusal.contains("256×784"),
                 qPrintable(refusal));
        QVERIFY(doc()->graph() == graphBefore);
        QCOMPARE(doc()->undoStack()->count(), 0);

        // Dropped on flatten (784 values): imported, fed by flatten, weights bit for bit.
        dropOnCard(mime.get(), node("flatten").id);
        QCOMPARE(doc()->graph().nodes().size(), before + 3);
        QCOMPARE(doc()->undoStack()->undoText(),
                 QString("Import 3 layers from pretrained-ae.netloom"));
        const engine::Graph& src = source.model().graph;
        const std::string enc1 = node("enc1").id, code = node("code").id;
        QVERIFY(sameTensors(doc()->project().model().weights.at(enc1),
                            source.model().weights.at(src.findNodeByName("enc1")->id)));
        QVERIFY(sameTensors(doc()->project().model().weights.at(code),
                            source.model().weights.at(src.findNodeByName("code")->id)));
        QVERIFY(doc()->graph().hasEdge({node("flatten").id, 0, enc1, 0}));
        QVERIFY(m_window->scene()->nodeItem(enc1));
        QVERIFY(m_window->scene()->nodeItem(enc1)->isSelected());  // the copies, selected
        // Placed in free space near the drop: no card lies on another (fc1 sits where flatten
        // would have the next layer).
        const QString overlap = test::overlappingCards(m_window->scene(), doc()->graph());
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));

        // The project beside is untouched (read-only): its file reads back as it was.
        const engine::Project reread = engine::loadProject(path.toStdString());
        QVERIFY(reread.model().graph == src);

        // Undo takes layers and weights away; redo brings both back.
        m_window->action("undo")->trigger();
        QCOMPARE(doc()->graph().nodes().size(), before);
        QVERIFY(!doc()->project().model().weights.count(enc1));
        QVERIFY(doc()->graph() == graphBefore);
        m_window->action("redo")->trigger();
        QVERIFY(sameTensors(doc()->project().model().weights.at(enc1),
                            source.model().weights.at(src.findNodeByName("enc1")->id)));
    }

    // The transfer-learning move: the pre-trained encoder dropped on flatten takes the place of
    // the MLP's own first layer, which is deleted; the copied ReLU feeds fc2. Nothing overlaps
    // and the graph is ready to train.
    void dropsAnEncoderInPlaceOfTheFirstLayer() {
        engine::Project source;
        BesideProjectView* beside = openBeside(savedAutoencoder(&source));
        QVERIFY(beside);
        beside->selectLayers({"enc1", "relu1"});
        std::unique_ptr<QMimeData> mime(beside->selectionMimeData());
        dropOnCard(mime.get(), node("flatten").id);
        QVERIFY(doc()->graph().findNodeByName("relu1_2"));
        QString overlap = test::overlappingCards(m_window->scene(), doc()->graph());
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));

        const std::string fc2 = node("fc2").id;
        doc()->undoStack()->push(new DeleteCommand(doc(), {node("fc1").id, node("relu1").id}, {}));
        doc()->undoStack()->push(new ConnectCommand(doc(), {node("relu1_2").id, 0, fc2, 0}));
        QVERIFY2(doc()->analysis().ok(), doc()->analysis().firstProblem().c_str());
        QTRY_VERIFY(m_window->action("train")->isEnabled());
        overlap = test::overlappingCards(m_window->scene(), doc()->graph());
        QVERIFY2(overlap.isEmpty(), qPrintable(overlap));

        // NETLOOM_SCREENSHOT_DIR: the dock with its selection, wide enough for its list, beside
        // the canvas with the copies wired in.
        const QString shots = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            auto* dock = m_window->findChild<QDockWidget*>("besideDock");
            m_window->resize(1700, 950);  // room for the whole graph beside the wide dock
            m_window->resizeDocks({dock}, {340}, Qt::Horizontal);
            QTest::qWait(100);
            m_window->action("fit")->trigger();
            QTest::qWait(200);
            QVERIFY(m_window->grab().save(shots + "/screenshot-transfer-drag.png"));
        }
    }

    // A file that is no project is refused in the dock, naming it; nothing is listed.
    void besideRefusesAFileThatIsNoProject() {
        const QString junk = test::tempDir() + "/junk-beside.netloom";
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not json");
        f.close();
        BesideProjectView* beside = openBeside(junk);
        QVERIFY(beside);
        QVERIFY2(beside->status().contains("junk-beside.netloom"), qPrintable(beside->status()));
        QCOMPARE(beside->layerList()->count(), 0);
        // Malformed drag data (another program's) is not accepted by the canvas.
        QMimeData other;
        other.setData(kProjectLayersMimeType, "{\"path\": 3}");
        QVERIFY(!projectLayersFromMime(&other));
    }
};

QTEST_MAIN(TestTransferDrag)
#include "test_transfer_drag.moc"
