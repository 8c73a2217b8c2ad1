// Renders the whole main window with the fashion-cnn sample, in a dark palette and with a broken
// graph, checks that the pictures are real drawings (not blank) showing what the README says,
// and saves them as screenshot-editor-*.png — the names README.md links — to
// $NETLOOM_SCREENSHOT_DIR (or a temporary folder). README.md gives the command that regenerates
// the copies in docs/ (NETLOOM_SCREENSHOT_DIR=docs under xvfb-run).
// Pictures the README does not show (after Auto-Layout, a close-up, the exported graph) are
// still checked, but always go to the temporary folder.
#include <QDir>
#include <QDockWidget>
#include <QSet>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QtCharts/QLineSeries>
#include <QtTest>

#include "engine/layers/registry.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/graph_view.h"
#include "ui/canvas/palette_widget.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/document/graph_document.h"
#include "ui/document/samples.h"
#include "ui/training/augmentation_preview.h"
#include "ui/training/lr_schedule_preview.h"
#include "ui/training/training_settings_widget.h"
#include "ui/widgets/image_grid.h"
#include "ui/widgets/problems_widget.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

QString outputDir() {
    const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
    return dir.isEmpty() ? test::tempDir() : dir;
}

// Number of distinct colours in a coarse sample of the image: a blank or one-colour grab has few.
int colourVariety(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y) & 0xF0F0F0);
    return colours.size();
}

// The whole main window — menus, toolbar, docks, canvas, status bar — as a user sees it.
QImage shoot(MainWindow& w, const QString& dir, const QString& name) {
    QTest::qWait(50);
    QApplication::processEvents();
    const QImage image = w.grab().toImage();
    if (!image.save(dir + "/" + name)) qWarning() << "cannot write" << dir + "/" + name;
    return image;
}

// True when every layer of the registry has its palette entry in sight (not scrolled away).
// The palette lists every registered layer, and the picture shows it from its top. (With the
// Transformer layers and the Blocks group the list no longer fits 1000 px without scrolling.)
bool paletteListsEveryLayer(MainWindow& w) {
    QTreeWidget* tree = w.palette()->tree();
    int listed = 0;
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if (!(*it)->data(0, Qt::UserRole + 1).toString().isEmpty() && !(*it)->isHidden()) ++listed;
    const QTreeWidgetItem* first = tree->topLevelItem(0);
    return listed == int(engine::allLayerDefs().size()) && first &&
           tree->viewport()->rect().contains(tree->visualItemRect(first));
}

}  // namespace

class TestScreenshots : public QObject {
    Q_OBJECT
    test::ScriptedPrompter m_prompter;

private slots:
    void initTestCase() {
        test::isolateSettings();
        setPrompter(&m_prompter);
        QDir().mkpath(outputDir());
    }
    void cleanupTestCase() { setPrompter(nullptr); }

    void sampleCnn() {
        const QString sample = QString::fromStdString(test::sampleFile("fashion-cnn.netloom"));
        if (!QFile::exists(sample)) QSKIP("samples/fashion-cnn.netloom is not there yet");
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(sample));
        w.scene()->selectNodes({w.document()->graph().nodes()[1].id});
        w.view()->fitGraph();
        QVERIFY(paletteListsEveryLayer(w));
        const QImage image = shoot(w, outputDir(), "screenshot-editor-fashion-cnn.png");
        QVERIFY(!image.isNull());
        QVERIFY(colourVariety(image) > 40);
        QVERIFY(w.exportPicture(test::tempDir() + "/graph-fashion-cnn.png"));
        QVERIFY(w.exportPicture(test::tempDir() + "/graph-fashion-cnn.svg"));
        // The same network after Auto-Layout.
        w.action("autoLayout")->trigger();
        QVERIFY(colourVariety(shoot(w, test::tempDir(), "editor-fashion-cnn-autolayout.png")) > 40);
        w.view()->resetZoom();
        w.view()->centreOnNode(w.document()->graph().nodes()[2].id);
        QVERIFY(colourVariety(shoot(w, test::tempDir(), "editor-closeup.png")) > 40);
        w.document()->undoStack()->setClean();
    }

    // The training settings, rows generated from the settings schema (docs/settings.md): the
    // groups the task uses, and for the chosen optimizer only the settings it reads.
    void trainingSettings() {
        const QString sample = QString::fromStdString(test::sampleFile("fashion-cnn.netloom"));
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(sample));
        auto* dock = w.findChild<QDockWidget*>("trainingDock");
        QVERIFY(dock);
        dock->raise();
        const QImage image = shoot(w, outputDir(), "screenshot-training-settings.png");
        QVERIFY(colourVariety(image) > 40);
        w.document()->undoStack()->setClean();
    }

    // The learning-rate schedule box: a cosine schedule with restarts behind a one-epoch
    // warm-up, previewed over fashion-cnn's run (epochs × steps per epoch).
    void learningRateSchedule() {
        GraphDocument doc;
        doc.load(QString::fromStdString(test::sampleFile("fashion-cnn.netloom")));
        engine::TrainingConfig c = doc.training();
        c.epochs = 15;
        c.schedule.type = "cosine";
        c.schedule.period = 2;
        c.schedule.periodMultiplier = 2;
        c.schedule.minLr = c.optimizer.lr / 20;
        c.schedule.warmup = 1;
        doc.setTraining(c);
        TrainingSettingsWidget settings(&doc);
        settings.resize(460, 2400);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        auto* preview = settings.findChild<LrSchedulePreview*>();
        QVERIFY(preview && preview->series()->count() > 100);
        QTest::qWait(50);
        QWidget* box = preview->parentWidget();
        const QImage image = box->grab().toImage();
        QVERIFY(image.save(outputDir() + "/screenshot-lr-schedule.png"));
        QVERIFY(colourVariety(image) > 10);
        doc.undoStack()->setClean();
    }

    // The augmentation box of fashion-cnn-plus with rotation and random erasing added: a batch
    // as loaded and augmented.
    void augmentationPreview() {
        if (!QFile::exists(QString::fromStdString(test::fashionDir()) +
                           "/train-images-idx3-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed");
        GraphDocument doc;
        doc.load(QString::fromStdString(test::sampleFile("fashion-cnn-plus.netloom")));
        engine::TrainingConfig c = doc.training();
        c.augmentation.rotation = 10;
        c.augmentation.erasing = 0.5;
        doc.setTraining(c);
        TrainingSettingsWidget settings(&doc);
        settings.resize(460, 2400);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        auto* preview = settings.findChild<AugmentationPreview*>();
        QVERIFY(preview);
        QVERIFY(QTest::qWaitFor([&] { return preview->isCurrent(); }, 60'000));
        QCOMPARE(preview->grid()->images().size(), size_t(2 * AugmentationPreview::kImages));
        QTest::qWait(50);
        const QImage image = preview->parentWidget()->grab().toImage();
        QVERIFY(image.save(outputDir() + "/screenshot-augmentation.png"));
        QVERIFY(colourVariety(image) > 10);
        doc.undoStack()->setClean();
    }

    void darkPalette() {
        const QString sample = QString::fromStdString(test::sampleFile("fashion-cnn.netloom"));
        if (!QFile::exists(sample)) QSKIP("samples/fashion-cnn.netloom is not there yet");
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
        dark.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
        dark.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
        dark.setColor(QPalette::Button, QColor(0x2b, 0x2d, 0x30));
        dark.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
        dark.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
        dark.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x90, 0x96));
        QApplication::setPalette(dark);
        {
            MainWindow w;
            w.resize(1600, 1000);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(w.newFromSample(sample));
            w.action("autoLayout")->trigger();
            w.view()->resetZoom();
            w.view()->centreOnNode(w.document()->graph().nodes()[2].id);
            w.scene()->selectNodes({w.document()->graph().nodes()[2].id});
            QVERIFY(colourVariety(shoot(w, outputDir(), "screenshot-editor-dark.png")) > 40);
            w.document()->undoStack()->setClean();
        }
        QApplication::setPalette(light);
    }

    void brokenGraph() {
        const QString sample = QString::fromStdString(test::sampleFile("fashion-mlp.netloom"));
        if (!QFile::exists(sample)) QSKIP("samples/fashion-mlp.netloom is not there yet");
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.newFromSample(sample));
        // Remove the Flatten: the first Dense now gets an image and says what to do.
        std::string flatten;
        for (const auto& n : w.document()->graph().nodes())
            if (n.type == "Flatten") flatten = n.id;
        QVERIFY(!flatten.empty());
        const auto in = w.document()->graph().inputsOf(flatten);
        const auto out = w.document()->graph().outputsOf(flatten);
        w.document()->undoStack()->push(new DeleteCommand(w.document(), {flatten}, {}));
        w.document()->undoStack()->push(
            new ConnectCommand(w.document(), {in[0].from, 0, out[0].to, out[0].toPort}));
        QVERIFY(!w.document()->analysis().ok());
        w.scene()->selectNodes({out[0].to});
        w.view()->fitGraph();
        // What the README promises: the error in the problems list and on the Train action,
        // with the whole current palette beside the canvas.
        QVERIFY(w.problems()->count() > 0);
        QVERIFY(w.problems()->isVisible());
        QVERIFY(!w.action("train")->isEnabled());
        QVERIFY(paletteListsEveryLayer(w));
        const QImage image = shoot(w, outputDir(), "screenshot-editor-broken-graph.png");
        QVERIFY(colourVariety(image) > 40);
        w.document()->undoStack()->setClean();
    }
};

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
