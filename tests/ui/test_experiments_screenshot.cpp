// The Experiments view showing a finished search read back from a project's sidecar: the
// view shows every stored trial, and its space editor the searched parameters. The picture in
// docs/ comes from the benchmark's real search: with $NETLOOM_SEARCH_SHOT set to a project that
// bench/search/measure.sh searched (e.g. /tmp/search-work/tpe-median-1.netloom) and
// $NETLOOM_SCREENSHOT_DIR set, the view of that search (space editor, trials, parallel
// coordinates, best so far) is saved as screenshot-experiments.png, the only producer of it.
#include <QTableWidget>
#include <QtTest>

#include "engine/io/project_io.h"
#include "engine/search/trial_store.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/experiments/experiments_view.h"
#include "ui/experiments/space_editor.h"

using namespace netloom::engine;
using namespace netloom::ui;

namespace {

// A finished three-trial search written beside a copy of fashion-mlp, as a search leaves it.
QString projectWithFinishedSearch() {
    Project p = loadProject(netloom::test::sampleFile("fashion-mlp.netloom"));
    p.history.clear();
    p.model().weights.clear();
    const QString path = netloom::test::tempDir() + "/experiments-finished.netloom";
    saveProject(p, path.toStdString());
    SearchRecord r;
    r.strategy = "tpe";
    r.seed = 2;
    r.space = searchSpaceFromText(R"({"parameters": [
        {"setting": "optimizer.lr", "low": 0.0001, "high": 0.1, "log": true}]})",
                                  "space.json");
    const double lrs[] = {0.001, 0.03, 0.0002};
    const std::vector<std::vector<double>> curves = {{0.80, 0.84}, {0.70}, {0.75, 0.78}};
    for (int i = 0; i < 3; ++i) {
        Trial t;
        t.number = i;
        t.values = {lrs[i]};
        t.curve = curves[static_cast<size_t>(i)];
        t.state = i == 1 ? TrialState::Pruned : TrialState::Finished;
        r.trials.push_back(t);
    }
    TrialStore(TrialStore::pathFor(path.toStdString())).save(r);
    return path;
}

}  // namespace

class ExperimentsScreenshotTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { netloom::test::isolateSettings(); }

    void aFinishedSearchIsShownFromItsSidecar() {
        GraphDocument doc;
        doc.load(projectWithFinishedSearch());
        ExperimentsView view(&doc);
        QCOMPARE(view.record().trials.size(), size_t{3});
        QCOMPARE(view.table()->rowCount(), 3);
        QVERIFY2(view.status().startsWith("3 trials from"), qPrintable(view.status()));
        // The space editor shows the search's space: its one parameter.
        auto* editor = view.findChild<SpaceEditor*>();
        QVERIFY(editor);
        QCOMPARE(editor->table()->rowCount(), 1);
        QCOMPARE(editor->table()->item(0, 0)->text(), QString("optimizer.lr"));
    }

    void screenshotOfTheBenchmarksSearch() {
        const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        const QString project = qEnvironmentVariable("NETLOOM_SEARCH_SHOT");
        if (dir.isEmpty() || project.isEmpty())
            QSKIP("NETLOOM_SCREENSHOT_DIR and NETLOOM_SEARCH_SHOT not set");
        GraphDocument doc;
        doc.load(project);
        ExperimentsView view(&doc);
        QVERIFY(!view.record().trials.empty());
        auto* editor = view.findChild<SpaceEditor*>();
        QVERIFY(editor);
        QCOMPARE(editor->table()->rowCount(), int(view.record().space.dimensions.size()));
        view.resize(1500, 1150);  // tall enough for the editor above the trials and the plots
        view.show();
        QTest::qWait(300);
        QVERIFY(view.grab().save(dir + "/screenshot-experiments.png"));
    }
};

QTEST_MAIN(ExperimentsScreenshotTest)
#include "test_experiments_screenshot.moc"
