// The headless `netloom` subcommands, run as a user runs them: exit codes, one-line errors,
// JSON output, and a saved project that reopens with its weights and run history.
#include <QFile>
#include <QProcess>
#include <QtTest>

#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "support/test_support.h"

using namespace netloom::engine;

namespace {

struct Result {
    int exitCode;
    QString out, err;
};

Result runNetloom(const QStringList& args, int timeoutMs = 600000) {
    QProcess p;
    p.start(NETLOOM_BINARY, args);
    if (!p.waitForFinished(timeoutMs)) return {-1, {}, "timed out"};  // (killed on return)
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString sample(const char* name) {
    return QString::fromStdString(netloom::test::sampleFile(name));
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void brokenProjectsGiveOneClearLine_data() {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\"format\": ") << "not valid JSON";
        QTest::newRow("bad param")
            << QByteArray(
                   "{\"format\":\"netloom-project\",\"version\":1,\"networks\":[{\"nodes\":"
                   "[{\"id\":\"a\",\"type\":\"Dense\",\"name\":\"x\",\"params\":{\"units\":0}}]}]}")
            << "/networks/0/nodes/0/params/units";
        QTest::newRow("invalid graph")
            << QByteArray(
                   "{\"format\":\"netloom-project\",\"version\":1,\"networks\":[{\"nodes\":"
                   "[{\"id\":\"a\",\"type\":\"Dense\",\"name\":\"x\"}]}]}")
            << "'x': its input is not connected";
    }
    void brokenProjectsGiveOneClearLine() {
        QFETCH(QByteArray, contents);
        QFETCH(QString, expected);
        const QString path = netloom::test::tempDir() + "/broken.netloom";
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(contents);
        f.close();
        Result r = runNetloom({"train", path});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("netloom: error: " + path), qPrintable(r.err));
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    }

    void missingFileAndBadOptions() {
        Result r = runNetloom({"train", "/nonexistent/x.netloom"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("No such file"));
        r = runNetloom({"train", sample("fashion-mlp.netloom"), "--epochs", "zero"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--epochs must be a whole number, got 'zero'"));
    }

    // Options are answered or refused at once, never taken for a file to open in the editor.
    void versionHelpAndUnknownOptions() {
        Result r = runNetloom({"--version"}, 20000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QRegularExpression("^netloom \\d+\\.\\d+\\.\\d+\n$").match(r.out).hasMatch(),
                 qPrintable(r.out + r.err));
        r = runNetloom({"--help"}, 20000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("usage: netloom"));
        QVERIFY(r.out.contains("--version"));
        r = runNetloom({"--frobnicate", sample("fashion-mlp.netloom")}, 20000);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QString("netloom: error: unknown option '--frobnicate'; run 'netloom "
                                "--help' for the usage\n"));
        r = runNetloom({sample("fashion-mlp.netloom"), "-x"}, 20000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("unknown option '-x'"));
        r = runNetloom({"a.netloom", "b.netloom"}, 20000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("one project file at a time"), qPrintable(r.err));
    }

    // Every subcommand answers --help (before or after its file) with its usage, never
    // "unknown option".
    void everySubcommandAnswersHelp() {
        for (const char* cmd : {"train", "eval", "info", "bench", "search"}) {
            for (const QStringList& args :
                 {QStringList{cmd, "--help"},
                  QStringList{cmd, sample("fashion-mlp.netloom"), "-h"}}) {
                const Result r = runNetloom(args, 20000);
                const QString what = args.join(' ') + ": " + r.out + r.err;
                QVERIFY2(r.exitCode == 0, qPrintable(what));
                QVERIFY2(r.out.startsWith(QString("usage: netloom %1").arg(cmd)), qPrintable(what));
                QVERIFY2(r.err.isEmpty(), qPrintable(what));
            }
        }
    }

    // `netloom search`: trials printed and kept in FILE.search.json, a second call continues
    // from them with the stored space, another space is refused, --apply-best writes the best
    // trial's values, and a bad space is refused before anything runs.
    void searchContinuesAndAppliesTheBest() {
        const QString dir = netloom::test::tempDir();
        const QString project = dir + "/search-mlp.netloom";
        QFile::remove(project);
        QFile::remove(project + ".search.json");
        QVERIFY(QFile::copy(sample("fashion-mlp.netloom"), project));
        auto writeSpace = [&](const QString& name, const QString& parameters) {
            QFile f(dir + "/" + name);
            if (!f.open(QIODevice::WriteOnly)) return QString();
            f.write(QString(R"({"fixed": {"epochs": 1, "dataset.limit_train": 600,
                "dataset.limit_test": 200, "validation_split": 0.25, "threads": 1},
                "parameters": [%1]})")
                        .arg(parameters)
                        .toUtf8());
            return f.fileName();
        };
        const QString space =
            writeSpace("space.json",
                       R"({"setting": "lr", "low": 0.0005, "high": 0.01, "log": true},
               {"node": "fc1", "param": "units", "type": "int", "low": 16, "high": 64})");
        Result r = runNetloom({"search", project, "--space", space, "--strategy", "random",
                               "--trials", "2", "--seed", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("trial   1  finished"), qPrintable(r.out));
        QVERIFY(r.out.contains("best: trial"));
        QVERIFY(r.out.contains("budget of 2 trials reached"));
        QVERIFY(QFile::exists(project + ".search.json"));

        r = runNetloom({"search", project, "--trials", "3"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("continuing: 2 trials"), qPrintable(r.out));
        QVERIFY(r.out.contains("trial   2  finished"));
        QVERIFY(!r.out.contains("trial   0  finished"));  // not run again

        const QString other = writeSpace(
            "other.json", R"({"setting": "lr", "low": 0.001, "high": 0.01, "log": true})");
        r = runNetloom({"search", project, "--space", other, "--trials", "4"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("another search space") && r.err.contains("--fresh"),
                 qPrintable(r.err));

        const QString best = dir + "/search-best.netloom";
        r = runNetloom({"search", project, "--trials", "3", "--apply-best", "--save", best});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.out.contains("finished  val"));  // the budget was used: no new trial
        QVERIFY2(r.out.contains("applied trial"), qPrintable(r.out));
        const Project applied = loadProject(best.toStdString());
        const double lr = applied.training.optimizer.lr;
        QVERIFY(lr >= 0.0005 && lr <= 0.01 && lr != 0.001);
        const int64_t units = applied.model().graph.findNodeByName("fc1")->params.getInt("units");
        QVERIFY(units >= 16 && units <= 64);
        QCOMPARE(applied.training.epochs, loadProject(project.toStdString()).training.epochs);

        const QString bad = writeSpace(
            "bad.json",
            R"({"setting": "optimizer.weight_decay", "low": 0, "high": 0.01, "log": true})");
        r = runNetloom({"search", project, "--space", bad, "--fresh"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("'optimizer.weight_decay'") && r.err.contains("touches 0"),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // A reconstruction project has no accuracy: `netloom train` prints losses only, never
    // "acc nan"; its JSON lines carry no accuracy fields.
    void reconstructionPrintsNoAccuracy() {
        const QStringList args{"train",         sample("fashion-autoencoder.netloom"),
                               "--epochs",      "1",
                               "--limit-train", "256",
                               "--limit-test",  "64",
                               "--threads",     "1"};
        Result r = runNetloom(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains("nan") && !r.out.contains("acc"), qPrintable(r.out));
        QVERIFY2(r.out.contains("val_loss") && r.out.contains("test  loss"), qPrintable(r.out));
        r = runNetloom(args + QStringList{"--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains("accuracy") && r.out.contains("train_loss"), qPrintable(r.out));
    }

    void infoPrintsLayersAndTotals() {
        Result r = runNetloom({"info", sample("fashion-cnn.netloom")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("conv2"));
        QVERIFY(r.out.contains("64x14x14"));
        QVERIFY(r.out.contains("421,642"));
    }

    void trainsPrintsJsonAndSaves() {
        const QString out = netloom::test::tempDir() + "/trained.netloom";
        Result r =
            runNetloom({"train", sample("fashion-mlp.netloom"), "--epochs", "1", "--limit-train",
                        "1280", "--limit-test", "300", "--json", "--save", out});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QJsonObject epoch = QJsonDocument::fromJson(lines[0].toUtf8()).object();
        QJsonObject done = QJsonDocument::fromJson(lines[1].toUtf8()).object();
        QCOMPARE(epoch["event"].toString(), QString("epoch"));
        QCOMPARE(done["event"].toString(), QString("finished"));
        const double acc = done["test_accuracy"].toDouble();
        QVERIFY2(acc > 0.4 && acc <= 1.0, qPrintable(lines[1]));

        Project saved = loadProject(out.toStdString());
        QCOMPARE(saved.history.size(), size_t(1));
        QCOMPARE(saved.history[0].testAccuracy, acc);
        QVERIFY(!saved.model().weights.empty());
        // Training again continues from the saved weights: the first epoch is already good.
        Result again = runNetloom({"train", out, "--epochs", "1", "--limit-train", "1280",
                                   "--limit-test", "300", "--json"});
        QCOMPARE(again.exitCode, 0);
        QJsonObject e2 = QJsonDocument::fromJson(again.out.split('\n')[0].toUtf8()).object();
        QVERIFY(e2["train_loss"].toDouble() < epoch["train_loss"].toDouble());
    }

    // --early-stopping N: stopping on the validation loss, keeping the best epoch; the saved
    // history has the epochs that ran, the message names the kept one.
    void earlyStoppingKeepsTheBestEpoch() {
        const QString out = netloom::test::tempDir() + "/best.netloom";
        Result r =
            runNetloom({"train", sample("fashion-mlp.netloom"), "--epochs", "30", "--limit-train",
                        "3000", "--limit-test", "500", "--threads", "1", "--validation-split",
                        "0.2", "--early-stopping", "2", "--save", out});
        QCOMPARE(r.exitCode, 0);
        const QRegularExpression kept(
            "Kept the weights of epoch (\\d+) \\(lowest validation "
            "loss, [0-9.]+\\); stopped early after epoch (\\d+) of 30");
        const QRegularExpressionMatch m = kept.match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QCOMPARE(m.captured(2).toInt() - m.captured(1).toInt(), 2);
        const Project saved = loadProject(out.toStdString());
        QCOMPARE(int(saved.history.at(0).epochs.size()), m.captured(2).toInt());
        QCOMPARE(saved.history.at(0).config.validationSplit, 0.2);

        r = runNetloom({"train", sample("fashion-mlp.netloom"), "--validation-split", "0.95"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QString("netloom: error: --validation-split must be at least 0 and below "
                                "0.9, got 0.95\n"));
        r = runNetloom({"train", sample("fashion-gan.netloom"), "--early-stopping", "2"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--early-stopping is not available for adversarial (GAN) projects"),
                 qPrintable(r.err));
        r = runNetloom({"train", sample("fashion-mlp.netloom"), "--generator-average", "0.99"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--generator-average is not available for classification projects: "
                                "it applies to adversarial (GAN) projects only"),
                 qPrintable(r.err));
        r = runNetloom({"train", sample("fashion-gan.netloom"), "--generator-average", "1"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--generator-average must be at least 0 and below 1, got 1"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
