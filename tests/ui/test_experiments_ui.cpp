// The Experiments view (ui/experiments): a search started with the Start button on a tiny
// space fills the trial table, the parallel-coordinates plot and the best-so-far curve live,
// writes the project's sidecar; Stop ends it early and keeps the finished trials, which a new
// view of the project shows again; "Apply best trial" changes the project as one undo step; a
// bad space is refused naming the parameter. Every axis of the plot, the metric's too, is
// labelled with its range. (docs/screenshot-experiments.png comes from
// test_experiments_screenshot.cpp.)
#include <QDockWidget>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>
#include <cmath>

#include "engine/io/project_io.h"
#include "engine/search/trial_store.h"
#include "saved_search_project.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/document/graph_document.h"
#include "ui/experiments/experiments_view.h"
#include "ui/experiments/parallel_coordinates.h"
#include "ui/window/main_window.h"

using namespace netloom::engine;
using namespace netloom::ui;

namespace {

SearchSpace tinySpace(int64_t epochs = 2, int64_t limitTrain = 600) {
    return searchSpaceFromText(QString(R"({"fixed": {"epochs": %1, "dataset.limit_train": %2,
        "dataset.limit_test": 200, "validation_split": 0.25, "threads": 1},
        "pruner": {"type": "none"},
        "parameters": [
          {"setting": "optimizer.lr", "low": 0.0003, "high": 0.01, "log": true},
          {"node": "fc1", "param": "units", "type": "int", "low": 16, "high": 96, "log": true},
          {"setting": "batch_size", "type": "categorical", "choices": [32, 64]}]})")
                                   .arg(epochs)
                                   .arg(limitTrain)
                                   .toStdString(),
                               "tiny.json");
}

using netloom::test::savedSearchProject;

}  // namespace

class ExperimentsUiTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { netloom::test::isolateSettings(); }

    void searchRunsLiveStopsAndAppliesTheBest() {
        const QString path = savedSearchProject("experiments.netloom");
        GraphDocument doc;
        doc.load(path);
        ExperimentsView view(&doc);
        view.resize(1000, 600);
        view.show();
        auto* start = view.findChild<QPushButton*>("startSearch");
        auto* apply = view.findChild<QPushButton*>("applyBestTrial");
        QVERIFY(start && apply);
        QVERIFY(!start->isEnabled());  // no space yet
        QVERIFY(view.setSpace(tinySpace()));
        QVERIFY(start->isEnabled());
        QVERIFY(view.plot()->axisLabels(3).empty());  // no metric seen yet, so no range
        QVERIFY(!apply->isEnabled());
        view.findChild<QSpinBox*>("searchTrials")->setValue(3);
        int rowsSeenRunning = 0;
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(view.isRunning());
        QVERIFY(!start->isEnabled());
        // Live: a row appears while the first trial still trains.
        QTRY_VERIFY_WITH_TIMEOUT(view.table()->rowCount() >= 1, 120000);
        rowsSeenRunning = view.table()->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 300000);
        QVERIFY(rowsSeenRunning >= 1);
        QCOMPARE(view.record().trials.size(), size_t{3});
        QCOMPARE(view.table()->rowCount(), 3);
        QCOMPARE(view.table()->columnCount(), 5 + 3);
        QCOMPARE(view.table()->horizontalHeaderItem(6)->text(), QString("fc1.units"));
        QVERIFY2(view.status().contains("budget of 3 trials reached"), qPrintable(view.status()));
        for (const Trial& t : view.record().trials) {
            QCOMPARE(t.state, TrialState::Finished);
            for (size_t axis = 0; axis <= 3; ++axis) {
                const double f = view.plot()->position(t, axis);
                QVERIFY(f >= 0.0 && f <= 1.0);
            }
        }
        // Each axis is labelled at its ends: the searched ranges, the choices, and the metric
        // (val_accuracy, maximised: the highest on top) over the values the trials reached.
        auto labels = [&](size_t axis) {
            QStringList out;
            for (const auto& l : view.plot()->axisLabels(axis))
                out << QString("%1@%2").arg(l.text).arg(l.at);
            return out.join(" ");
        };
        QCOMPARE(labels(0), QString("0.01@1 0.0003@0"));
        QCOMPARE(labels(1), QString("96@1 16@0"));
        QCOMPARE(labels(2), QString("32@0 64@1"));
        double lo = INFINITY, hi = -INFINITY;
        for (const Trial& t : view.record().trials)
            lo = std::min(lo, t.value()), hi = std::max(hi, t.value());
        QVERIFY(std::isfinite(lo));
        const QString expected = hi > lo ? QString("%1@1 %2@0")
                                               .arg(QString::number(hi, 'g', 3))
                                               .arg(QString::number(lo, 'g', 3))
                                         : QString("%1@0.5").arg(QString::number(lo, 'g', 3));
        QCOMPARE(labels(3), expected);

        // The best-so-far curve never gets worse.
        QCOMPARE(view.bestSeries()->count(), 3);
        for (int i = 1; i < 3; ++i)
            QVERIFY(view.bestSeries()->at(i).y() >= view.bestSeries()->at(i - 1).y());
        // The sidecar holds the trials.
        std::optional<SearchRecord> stored =
            TrialStore(TrialStore::pathFor(path.toStdString())).load();
        QVERIFY(stored && stored->trials.size() == 3);

        // Apply best trial: one undo step, undone exactly.
        QVERIFY(apply->isEnabled());
        const Trial* best = bestTrial(view.record().trials, true);
        const Project before = doc.project();
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(doc.training().optimizer.lr, std::get<double>(best->values[0]));
        QCOMPARE(doc.graph().findNodeByName("fc1")->params.getInt("units"),
                 std::get<int64_t>(best->values[1]));
        QCOMPARE(doc.training().batchSize, std::get<int64_t>(best->values[2]));
        QCOMPARE(doc.training().epochs, before.training.epochs);  // trial settings stay out
        QVERIFY(doc.undoStack()->undoText().startsWith("Apply best trial"));
        doc.undoStack()->undo();
        QCOMPARE(doc.project().training, before.training);
        QCOMPARE(doc.project().model().graph, before.model().graph);

        // Stop: the search ends early and keeps its finished trials.
        view.findChild<QSpinBox*>("searchTrials")->setValue(50);
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view.record().trials.size() >= 4, 120000);
        QTest::mouseClick(view.findChild<QPushButton*>("stopSearch"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 120000);
        QVERIFY2(view.status().contains("stopped"), qPrintable(view.status()));
        const size_t kept = view.record().trials.size();
        QVERIFY(kept >= 4 && kept < 50);
        // Reopened: a new view of the project shows the stored trials.
        ExperimentsView again(&doc);
        QCOMPARE(again.record().trials.size(), kept);
        QCOMPARE(again.table()->rowCount(), static_cast<int>(kept));
    }

    void badSpaceIsRefusedNamingTheParameter() {
        GraphDocument doc;
        doc.load(savedSearchProject("experiments-bad.netloom"));
        ExperimentsView view(&doc);
        SearchSpace bad = tinySpace();
        std::swap(bad.dimensions[0].low, bad.dimensions[0].high);
        QVERIFY(!view.setSpace(bad));
        QVERIFY2(view.status().contains("'optimizer.lr'") && view.status().contains("inverted"),
                 qPrintable(view.status()));
        QVERIFY(!view.findChild<QPushButton*>("startSearch")->isEnabled());
    }

    void theWindowHasTheExperimentsDock() {
        MainWindow window;
        auto* dock = window.findChild<QDockWidget*>("experimentsDock");
        QVERIFY(dock);
        QVERIFY(dock->findChild<ExperimentsView*>("experimentsView"));
    }
};

QTEST_MAIN(ExperimentsUiTest)
#include "test_experiments_ui.moc"
