// What the window does when NetLoom starts: untitled work autosaved by a crashed session is
// offered back whatever file opens (and only when its editor is really gone, never the live work
// of another running NetLoom), and Open Recent tells files of the same name apart.
#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QtTest>

#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/commands/node_commands.h"
#include "ui/document/autosave.h"
#include "ui/window/main_window.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

std::string nodeName(const GraphDocument* doc, const std::string& id) {
    for (const auto& n : doc->graph().nodes())
        if (n.id == id) return n.name;
    return {};
}

QStringList recoveryFiles() {
    return QDir(Autosave::recoveryDir()).entryList({"*.netloom"}, QDir::Files);
}

}  // namespace

class TestStartup : public QObject, public test::PrompterFixture {
    Q_OBJECT

    QString tempFile(const QString& name) { return test::tempDir() + "/" + name; }

    // An editor with unsaved untitled work that "crashes": the window goes away without the
    // normal close, leaving its recovery file. Returns that file.
    QString crashedUntitledWork(const std::string& name) {
        auto w = std::make_unique<MainWindow>();
        w->document()->reset(test::sampleProject());
        w->document()->undoStack()->push(new RenameCommand(w->document(), "n2", name));
        const QString recovery = w->autosave()->saveNow();
        w.reset();
        return recovery;
    }

    // A clean project on disk, as `netloom FILE` would open it.
    QString savedProject(const QString& name) {
        MainWindow w;
        w.document()->reset(test::sampleProject());
        const QString path = tempFile(name);
        return w.saveTo(path) ? QFileInfo(path).absoluteFilePath() : QString();
    }

private slots:
    void initTestCase() { setUpSuite(); }
    void cleanupTestCase() { tearDownSuite(); }
    void init() {
        m_prompter = test::ScriptedPrompter();
        QDir(Autosave::recoveryDir()).removeRecursively();
        QSettings().remove("session");
    }

    void untitledRecoveryIsOfferedWhenAFileIsGiven_data() {
        QTest::addColumn<bool>("restore");
        QTest::addColumn<int>("saveChoice");
        QTest::addColumn<bool>("fileOpens");
        QTest::newRow("restore, then discard it for the file")
            << true << int(Prompter::SaveChoice::Discard) << true;
        QTest::newRow("restore, then keep it (cancel the file)")
            << true << int(Prompter::SaveChoice::Cancel) << false;
        QTest::newRow("decline") << false << int(Prompter::SaveChoice::Cancel) << true;
    }
    void untitledRecoveryIsOfferedWhenAFileIsGiven() {
        QFETCH(bool, restore);
        QFETCH(int, saveChoice);
        QFETCH(bool, fileOpens);
        const QString given = savedProject("given.netloom");
        QVERIFY(!given.isEmpty());
        const QString recovery = crashedUntitledWork("rescued");
        QVERIFY(QFile::exists(recovery));

        m_prompter.yesNoAnswer = restore;
        m_prompter.saveAnswer = Prompter::SaveChoice(saveChoice);
        MainWindow w;
        w.startup(given);
        QCOMPARE(m_prompter.questions.size(), 1);
        QVERIFY2(m_prompter.questions[0].contains("untitled"), qPrintable(m_prompter.questions[0]));
        QVERIFY(m_prompter.questions[0].contains("given.netloom"));
        // Restored work is asked about before the file replaces it.
        QCOMPARE(m_prompter.saveQuestions, restore ? 1 : 0);
        QCOMPARE(w.document()->filePath(), fileOpens ? given : QString());
        QCOMPARE(nodeName(w.document(), "n2"), std::string(fileOpens ? "flatten" : "rescued"));
        QCOMPARE(w.document()->isModified(), !fileOpens);
        // Answered either way: the crashed session's file is gone and not offered again.
        QVERIFY(!QFile::exists(recovery));
        QVERIFY(!Autosave::findRecovery({}).has_value());
        w.document()->undoStack()->setClean();
    }

    void untitledRecoveryComesBeforeTheLastSession() {
        QSettings().setValue("session/lastFile", savedProject("last.netloom"));
        crashedUntitledWork("rescued");
        m_prompter.yesNoAnswer = true;
        MainWindow w;
        w.startup({});
        QCOMPARE(m_prompter.questions.size(), 1);
        QCOMPARE(nodeName(w.document(), "n2"), std::string("rescued"));
        QVERIFY(w.document()->filePath().isEmpty());
        QCOMPARE(m_prompter.saveQuestions, 0);  // the last file is not forced over it
        w.document()->undoStack()->setClean();
    }

    void declinedRecoveriesAreOfferedInTurn() {
        crashedUntitledWork("older");
        QTest::qWait(20);  // distinct modification times
        crashedUntitledWork("newer");
        QCOMPARE(recoveryFiles().size(), 2);
        m_prompter.yesNoAnswer = false;
        MainWindow w;
        w.startup({});
        QCOMPARE(m_prompter.questions.size(), 2);
        QVERIFY(recoveryFiles().isEmpty());
        QVERIFY(!w.document()->isModified());
    }

    void liveEditorsWorkIsNotOffered() {
        // Another NetLoom window with unsaved untitled work, still running.
        MainWindow live;
        live.document()->reset(test::sampleProject());
        live.document()->undoStack()->push(new RenameCommand(live.document(), "n2", "busy"));
        const QString recovery = live.autosave()->saveNow();
        QVERIFY(QFile::exists(recovery));
        QVERIFY(Autosave::ownerAlive(live.autosave()->key()));
        QVERIFY(!Autosave::findRecovery({}).has_value());

        m_prompter.yesNoAnswer = false;  // a "No" would delete it
        {
            MainWindow second;
            second.startup({});
        }
        QVERIFY(m_prompter.questions.isEmpty());
        QVERIFY(QFile::exists(recovery));
        QVERIFY(QFile::exists(recovery + ".path"));

        // Its file still updates and belongs to it; once it is gone (crashed), it is offered.
        QCOMPARE(live.autosave()->saveNow(), recovery);
        live.document()->undoStack()->setClean();  // a clean document removes its recovery...
        QVERIFY(!QFile::exists(recovery));
        QVERIFY(!Autosave::ownerAlive(live.autosave()->key()));
    }

    void crashedEditorsStaleLockDoesNotHideItsWork() {
        const QString recovery = crashedUntitledWork("rescued");
        // A crash leaves the lock file behind, naming a process that no longer runs.
        QProcess done;
        done.start("true");
        QVERIFY(done.waitForStarted());
        const qint64 deadPid = done.processId();
        QVERIFY(done.waitForFinished());
        QFile sidecar(recovery + ".path");
        QVERIFY(sidecar.open(QIODevice::ReadOnly));
        const QString owner = QString::fromUtf8(sidecar.readAll()).section('\n', -1);
        sidecar.close();
        QVERIFY(!owner.isEmpty());
        QFile lock(Autosave::recoveryDir() + "/" + owner + ".lock");
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write(QByteArray::number(deadPid) + '\n' +
                   QFileInfo(QCoreApplication::applicationFilePath()).fileName().toUtf8() + '\n' +
                   QSysInfo::machineHostName().toUtf8() + '\n');
        lock.close();

        QVERIFY(!Autosave::ownerAlive(owner));
        m_prompter.yesNoAnswer = true;
        MainWindow w;
        w.startup({});
        QCOMPARE(m_prompter.questions.size(), 1);
        QCOMPARE(nodeName(w.document(), "n2"), std::string("rescued"));
        QVERIFY(!QFile::exists(lock.fileName()));
        w.document()->undoStack()->setClean();
    }

    void recentLabelsTellSameNamesApart_data() {
        QTest::addColumn<QStringList>("paths");
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("distinct names")
            << QStringList{"/p/a.netloom", "/q/b.netloom"} << QStringList{"a.netloom", "b.netloom"};
        QTest::newRow("same name, other folders")
            << QStringList{"/p/one/model.netloom", "/p/two/model.netloom", "/p/solo.netloom"}
            << QStringList{"model.netloom — one", "model.netloom — two", "solo.netloom"};
        QTest::newRow("same name, same folder name")
            << QStringList{"/a/runs/model.netloom", "/b/runs/model.netloom"}
            << QStringList{QDir::toNativeSeparators("model.netloom — a/runs"),
                           QDir::toNativeSeparators("model.netloom — b/runs")};
    }
    void recentLabelsTellSameNamesApart() {
        QFETCH(QStringList, paths);
        QFETCH(QStringList, labels);
        QCOMPARE(recentFileLabels(paths), labels);
    }

    void openRecentShowsTheFolders() {
        QSettings().remove("files/recent");
        QDir(test::tempDir()).mkpath("first");
        QDir(test::tempDir()).mkpath("second");
        MainWindow w;
        w.document()->reset(test::sampleProject());
        QVERIFY(w.saveTo(tempFile("first/net.netloom")));
        QVERIFY(w.saveTo(tempFile("second/net.netloom")));
        QMenu* recent = nullptr;
        for (QAction* top : w.menuBar()->actions())
            if (top->menu())
                for (QAction* a : top->menu()->actions())
                    if (a->menu() && a->text().contains("Recent")) recent = a->menu();
        QVERIFY(recent);
        emit recent->aboutToShow();
        QStringList texts;
        for (QAction* a : recent->actions()) texts << a->text();
        QVERIFY2(texts.contains("net.netloom — second"), qPrintable(texts.join(" | ")));
        QVERIFY(texts.contains("net.netloom — first"));
        recent->actions().at(1)->trigger();  // the older one opens
        QCOMPARE(w.document()->filePath(),
                 QFileInfo(tempFile("first/net.netloom")).absoluteFilePath());
    }
};

QTEST_MAIN(TestStartup)
#include "test_startup.moc"
