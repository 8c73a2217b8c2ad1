// Project files through the main window: save → open gives the identical document, a corrupt
// file is refused with the engine's message and leaves the project untouched, unsaved changes
// are asked about, autosave recovery, samples open and look sane, picture export, file drops.
#include <QGraphicsView>
#include <QMimeData>
#include <QSvgRenderer>
#include <QtTest>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_item.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/structure_commands.h"
#include "ui/document/autosave.h"
#include "ui/document/samples.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

class TestFiles : public QObject, public test::PrompterFixture {
    Q_OBJECT

    QString tempFile(const QString& name) { return test::tempDir() + "/" + name; }

    // A window holding the sample project, edited once and saved as `name`.
    std::unique_ptr<MainWindow> savedWindow(const QString& name) {
        auto w = std::make_unique<MainWindow>();
        w->document()->reset(test::sampleProject());
        w->document()->undoStack()->push(
            new SetParamCommand(w->document(), "n3", "units", int64_t{48}));
        // Weights no longer match 48 units; the editor keeps them, the trainer decides.
        w->document()->undoStack()->push(new RenameCommand(w->document(), "n6", "spare"));
        const QString path = tempFile(name);
        if (!w->saveTo(path)) return nullptr;
        return w;
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() { m_prompter = test::ScriptedPrompter(); }

    void saveThenOpenGivesIdenticalDocument() {
        auto a = savedWindow("roundtrip.netloom");
        QVERIFY(a);
        QVERIFY(!a->document()->isModified());
        QVERIFY(!a->isWindowModified());
        QVERIFY(a->windowTitle().startsWith("roundtrip.netloom"));
        MainWindow b;
        QVERIFY(b.openFile(tempFile("roundtrip.netloom")));
        QCOMPARE(b.document()->serialize(), a->document()->serialize());
        QVERIFY(b.document()->graphState() == a->document()->graphState());
        QCOMPARE(b.document()->project().model().weights.size(), size_t(1));
        QVERIFY(!b.document()->isModified());
        QCOMPARE(b.document()->undoStack()->count(), 0);
        QCOMPARE(b.document()->filePath(),
                 QFileInfo(tempFile("roundtrip.netloom")).absoluteFilePath());
        QVERIFY(m_prompter.errors.isEmpty());
    }

    void corruptFileShowsErrorAndLeavesProjectUntouched_data() {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{ this is not json") << "not valid JSON";
        QTest::newRow("wrong format")
            << QByteArray(R"({"format":"something-else","version":1})") << "format";
        QTest::newRow("unknown layer")
            << QByteArray(
                   R"({"format":"netloom-project","version":1,"networks":[{"role":"model","nodes":[{"id":"n1","type":"Teleporter","name":"t","params":{}}],"edges":[]}]})")
            << "Teleporter";
        QTest::newRow("empty file") << QByteArray() << "corrupt.netloom";
    }
    void corruptFileShowsErrorAndLeavesProjectUntouched() {
        QFETCH(QByteArray, contents);
        QFETCH(QString, expected);
        const QString bad = tempFile("corrupt.netloom");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(contents);
        f.close();

        auto w = savedWindow("kept.netloom");
        QVERIFY(w);
        w->document()->undoStack()->push(new MoveNodesCommand(w->document(), {{"n1", {5, 5}}}));
        const std::string before = w->document()->serialize();
        const QString pathBefore = w->document()->filePath();
        m_prompter.saveAnswer = Prompter::SaveChoice::Discard;
        QVERIFY(!w->openFile(bad));
        QCOMPARE(m_prompter.errors.size(), 1);
        QVERIFY2(m_prompter.errors[0].contains(expected), qPrintable(m_prompter.errors[0]));
        QVERIFY(m_prompter.errors[0].contains("corrupt.netloom"));
        QCOMPARE(w->document()->serialize(), before);
        QCOMPARE(w->document()->filePath(), pathBefore);
        QVERIFY(w->document()->isModified());
        QCOMPARE(w->document()->undoStack()->count(), 3);  // history kept too
        w->document()->undoStack()->setClean();
    }

    void missingFileIsReported() {
        MainWindow w;
        QVERIFY(!w.openFile(tempFile("does-not-exist.netloom")));
        QCOMPARE(m_prompter.errors.size(), 1);
        QVERIFY(m_prompter.errors[0].contains("does-not-exist.netloom"));
    }

    void unsavedChangesAreAskedAbout() {
        MainWindow w;
        w.document()->reset(test::sampleProject());
        w.document()->undoStack()->push(new RenameCommand(w.document(), "n1", "pixels"));
        QVERIFY(w.isWindowModified());
        const std::string edited = w.document()->serialize();

        m_prompter.saveAnswer = Prompter::SaveChoice::Cancel;
        QVERIFY(!w.newBlank());
        QCOMPARE(m_prompter.saveQuestions, 1);
        QCOMPARE(w.document()->serialize(), edited);
        QVERIFY(!w.close());  // closing asks too, and Cancel keeps the window
        QCOMPARE(m_prompter.saveQuestions, 2);

        m_prompter.saveAnswer = Prompter::SaveChoice::Save;
        m_prompter.saveFileAnswer = tempFile("asked");  // ".netloom" is added
        QVERIFY(w.newBlank());
        QVERIFY(QFile::exists(tempFile("asked.netloom")));
        QVERIFY(w.document()->graph().nodes().empty());
        QVERIFY(w.document()->filePath().isEmpty());

        w.document()->undoStack()->push(new AddNodeCommand(w.document(), "Input", {0, 0}));
        m_prompter.saveAnswer = Prompter::SaveChoice::Discard;
        QVERIFY(w.openFile(tempFile("asked.netloom")));
        QCOMPARE(w.document()->graph().node("n1").name, std::string("pixels"));
        QVERIFY(w.windowTitle().startsWith("asked.netloom"));
    }

    void revertReloadsTheSavedFile() {
        auto w = savedWindow("revert.netloom");
        const std::string saved = w->document()->serialize();
        w->document()->undoStack()->push(new DeleteCommand(w->document(), {"n2"}, {}));
        m_prompter.yesNoAnswer = true;
        QVERIFY(w->revert());
        QCOMPARE(w->document()->serialize(), saved);
        QVERIFY(!w->document()->isModified());
    }

    void autosaveOffersRecovery() {
        auto w = savedWindow("crashy.netloom");
        const QString path = w->document()->filePath();
        QTest::qWait(30);  // the recovery must be newer than the project file
        w->document()->undoStack()->push(new RenameCommand(w->document(), "n2", "unsaved_name"));
        const QString recovery = w->autosave()->saveNow();
        QVERIFY(QFile::exists(recovery));
        QVERIFY(recovery.startsWith(Autosave::recoveryDir()));
        const std::string edited = w->document()->serialize();
        // "Crash": the window goes away without saving or cleaning up.
        for (const QString& f : {recovery, recovery + ".path"}) QFile::copy(f, f + ".keep");
        w->document()->undoStack()->setClean();  // (no question; this also cleans up...)
        w.reset();
        for (const QString& f : {recovery, recovery + ".path"})  // (...so put it back)
            QVERIFY(QFile::rename(f + ".keep", f));

        const std::optional<Recovery> found = Autosave::findRecovery(path);
        QVERIFY(found.has_value());
        MainWindow again;
        m_prompter.yesNoAnswer = true;
        QVERIFY(again.openFile(path));
        QCOMPARE(m_prompter.questions.size(), 1);
        QVERIFY(m_prompter.questions[0].contains("crashy.netloom"));
        QCOMPARE(again.document()->serialize(), edited);
        QVERIFY(again.document()->isModified());
        QCOMPARE(again.document()->filePath(), path);
        // A clean save removes the recovery file.
        QVERIFY(again.save());
        QVERIFY(!Autosave::findRecovery(path).has_value());
        QVERIFY(!QFile::exists(again.autosave()->currentRecoveryFile()));
    }

    void autosaveDoesNothingWhenClean() {
        MainWindow w;
        w.document()->reset(test::sampleProject());
        QVERIFY(w.autosave()->saveNow().isEmpty());
    }

    void samplesOpenValidAndLaidOut() {
        const QFileInfoList samples = findSamples();
        if (samples.isEmpty()) QSKIP("no samples/ folder found");
        for (const QFileInfo& sample : samples) {
            MainWindow w;
            QVERIFY2(w.newFromSample(sample.absoluteFilePath()), qPrintable(sample.fileName()));
            const GraphDocument* d = w.document();
            QVERIFY2(d->analysis().ok(),
                     qPrintable(sample.fileName() + ": " +
                                QString::fromStdString(d->analysis().firstProblem())));
            QVERIFY(d->filePath().isEmpty());  // a sample is a template: Save asks for a name
            QVERIFY(!d->isModified());
            QVERIFY(w.action("train")->isEnabled());
            // Every card has a spot of its own.
            std::vector<QRectF> cards;
            for (const auto& n : d->graph().nodes())
                cards.push_back(
                    w.scene()->nodeItem(n.id)->sceneBoundingRect().adjusted(4, 4, -4, -4));
            for (size_t i = 0; i < cards.size(); ++i)
                for (size_t j = i + 1; j < cards.size(); ++j)
                    QVERIFY2(!cards[i].intersects(cards[j]),
                             qPrintable(sample.fileName() +
                                        QString(": cards %1 and %2 overlap").arg(i).arg(j)));
        }
        QVERIFY(sampleTitle("fashion-cnn.netloom") == "Fashion CNN");
    }

    void exportsPngAndSvg() {
        auto w = savedWindow("export.netloom");
        const QString png = tempFile("graph.png");
        const QString svg = tempFile("graph.svg");
        QVERIFY(w->exportPicture(png));
        QVERIFY(w->exportPicture(svg));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 1000);  // six cards side by side, at 2×
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QVERIFY(!w->exportPicture("/nonexistent-dir/x.png"));
        QCOMPARE(m_prompter.errors.size(), 1);
    }

    void droppingAProjectFileOpensIt() {
        auto saved = savedWindow("dropped.netloom");
        MainWindow w;
        w.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(tempFile("dropped.netloom"))});
        const QPoint pos(50, 50);
        QWidget* viewport = qobject_cast<QGraphicsView*>(w.centralWidget())->viewport();
        QVERIFY(viewport);
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &move);
        QVERIFY(move.isAccepted());
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(viewport, &drop);
        QCOMPARE(w.document()->serialize(), saved->document()->serialize());
        QVERIFY(w.windowTitle().startsWith("dropped.netloom"));
    }
};

QTEST_MAIN(TestFiles)
#include "test_files.moc"
