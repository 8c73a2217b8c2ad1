// The data view of CSV projects (ui/data/csv_data_view): the column statistics of
// tests/data/csv_prep_small.csv and of the wine sample, the class-balance chart, choosing the
// target, features, one-hot and missing-value handling from the view as undoable settings
// commands, and refusals shown in the view; the view is a dock of the main window.
#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QTableWidget>
#include <QtTest>
#include <filesystem>

#include "engine/io/project_io.h"
#include "support/test_support.h"
#include "test_helpers.h"
#include "ui/data/csv_data_view.h"
#include "ui/document/graph_document.h"

using namespace netloom;
using namespace netloom::ui;

namespace {

engine::Project csvProject(const std::string& path) {
    engine::Project p;
    p.training.dataset.kind = "csv";
    p.training.dataset.csvPath = path;
    return p;
}

QString cell(QTableWidget* t, int row, int column) {
    QTableWidgetItem* item = t->item(row, column);
    return item ? item->text() : QString();
}

template <typename W>
W* cellWidget(QTableWidget* t, int row, int column) {
    return qobject_cast<W*>(t->cellWidget(row, column));
}

QList<qreal> barValues(CsvDataView& v) {
    auto* view = v.findChild<QChartView*>("classBalanceChart");
    for (QAbstractSeries* s : view->chart()->series())
        if (auto* bars = qobject_cast<QBarSeries*>(s)) {
            QList<qreal> out;
            for (int i = 0; i < bars->barSets().front()->count(); ++i)
                out << bars->barSets().front()->at(i);
            return out;
        }
    return {};
}

}  // namespace

class TestCsvDataView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::isolateSettings(); }

    // age {20, 30, -, 70, 50, 60}: 5 values, 1 missing, mean 46, min 20, max 70; color is text
    // with red twice; label yes/no three times each.
    void showsColumnStatistics() {
        GraphDocument doc;
        CsvDataView v(&doc);
        engine::Project p = csvProject(test::dataFile("csv_prep_small.csv"));
        p.training.dataset.csvCategorical = "color";
        p.training.dataset.csvMissing = "mean";
        doc.reset(p);
        QTableWidget* t = v.table();
        QCOMPARE(t->rowCount(), 4);
        QCOMPARE(cell(t, 0, 0), QString("age"));
        QCOMPARE(cell(t, 0, 2), QString("numeric"));
        QCOMPARE(cell(t, 0, 3), QString("5"));
        QCOMPARE(cell(t, 0, 4), QString("1"));
        QVERIFY2(cell(t, 0, 5).startsWith("46 ± 18.55"), qPrintable(cell(t, 0, 5)));  // √344
        QCOMPARE(cell(t, 0, 6), QString("20"));
        QCOMPARE(cell(t, 0, 7), QString("70"));
        QCOMPARE(cell(t, 2, 2), QString("text"));
        QVERIFY2(cell(t, 2, 5).startsWith("red (2)"), qPrintable(cell(t, 2, 5)));
        QCOMPARE(cellWidget<QComboBox>(t, 3, 1)->currentData().toString(), QString("target"));
        QVERIFY(cellWidget<QCheckBox>(t, 2, 8)->isChecked());
        QCOMPARE(v.status(), QString("ok"));
        QCOMPARE(v.classCounts().size(), size_t(2));
        QCOMPARE(barValues(v), (QList<qreal>{3, 3}));  // no, yes
    }

    void choicesAreUndoableSettings() {
        GraphDocument doc;
        CsvDataView v(&doc);
        doc.reset(csvProject(test::dataFile("csv_prep_small.csv")));
        // A missing value is refused until the view chooses a fill; the view says where.
        QVERIFY2(v.status().contains("line 3, column 'height': the value is missing"),
                 qPrintable(v.status()));
        auto* missing = v.findChild<QComboBox*>("csvMissing");
        missing->setCurrentIndex(missing->findData("median"));
        QCOMPARE(doc.training().dataset.csvMissing, std::string("median"));
        // The text column is refused until it is one-hot encoded or ignored.
        QVERIFY2(v.status().contains("line 2, column 'color': 'red' is not a number"),
                 qPrintable(v.status()));
        QTableWidget* t = v.table();
        cellWidget<QCheckBox>(t, 2, 8)->click();
        QCOMPARE(doc.training().dataset.csvCategorical, std::string("color"));
        QCOMPARE(v.status(), QString("ok"));
        // Ignore height, then per-column: drop rows with a missing age.
        cellWidget<QComboBox>(v.table(), 1, 1)->setCurrentIndex(2);
        QCOMPARE(doc.training().dataset.csvFeatures, std::string("age,color"));
        auto* ageMissing = cellWidget<QComboBox>(v.table(), 0, 9);
        ageMissing->setCurrentIndex(ageMissing->findData("drop"));
        QCOMPARE(doc.training().dataset.csvMissingColumns, std::string("age=drop"));
        auto* scaling = v.findChild<QComboBox*>("csvScaling");
        scaling->setCurrentIndex(scaling->findData("standardize"));
        QCOMPARE(doc.training().dataset.csvScaling, std::string("standardize"));
        // Make color the target: label becomes a feature.
        cellWidget<QComboBox>(v.table(), 2, 1)->setCurrentIndex(0);
        QCOMPARE(doc.training().dataset.csvTarget, std::string("color"));
        QCOMPARE(doc.training().dataset.csvCategorical, std::string());
        QCOMPARE(doc.training().dataset.csvFeatures, std::string("age,label"));
        QCOMPARE(cellWidget<QComboBox>(v.table(), 2, 1)->currentData().toString(),
                 QString("target"));
        // Each choice is one undo step; undoing all returns to the opened settings.
        QCOMPARE(doc.undoStack()->count(), 6);
        QVERIFY(doc.undoStack()->text(5).contains("arget"));
        while (doc.undoStack()->canUndo()) doc.undoStack()->undo();
        QCOMPARE(doc.training().dataset,
                 csvProject(test::dataFile("csv_prep_small.csv")).training.dataset);
        QVERIFY(cellWidget<QCheckBox>(v.table(), 2, 8)->isChecked() == false);
    }

    void notCsvAndBadFiles() {
        GraphDocument doc;
        CsvDataView v(&doc);
        engine::Project p;
        doc.reset(p);
        QCOMPARE(v.table()->rowCount(), 0);
        doc.reset(csvProject("/nonexistent/x.csv"));
        QVERIFY2(v.status().contains("/nonexistent/x.csv: cannot open"), qPrintable(v.status()));
        QCOMPARE(v.table()->rowCount(), 0);
    }

    // The wine sample in the window: its dock is raised, 14 columns, three classes 59/71/48.
    void wineSampleInTheWindow() {
        const std::string wine =
            "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv";
        if (!std::filesystem::exists(wine))
            QSKIP("python3-sklearn is not installed (scripts/setup.sh installs it)");
        MainWindow w;
        w.document()->reset(engine::loadProject(test::sampleFile("wine-mlp.netloom")));
        auto* view = w.findChild<CsvDataView*>("csvDataView");
        QVERIFY(view);
        QCOMPARE(view->table()->rowCount(), 14);
        QCOMPARE(cell(view->table(), 12, 0), QString("feature 13"));  // proline
        QCOMPARE(cell(view->table(), 12, 6), QString("278"));
        QCOMPARE(cell(view->table(), 12, 7), QString("1680"));
        QCOMPARE(view->status(), QString("ok"));
        QCOMPARE(barValues(*view), (QList<qreal>{59, 71, 48}));
        QCOMPARE(view->classCounts().front().first, std::string("class_0"));
        // docs/screenshot-data-view.png: NETLOOM_SCREENSHOT_DIR=docs when regenerating it.
        const QString dir = qEnvironmentVariable("NETLOOM_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            auto* dock = w.findChild<QDockWidget*>("dataDock");
            dock->setFloating(true);
            dock->resize(1100, 720);
            dock->show();
            QApplication::processEvents();
            QVERIFY(dock->grab().save(dir + "/screenshot-data-view.png"));
        }
    }
};

QTEST_MAIN(TestCsvDataView)
#include "test_csv_data_view.moc"
