// CSV data preparation (engine/data/csv_prep.h): fills, scaling and one-hot against values
// computed by hand on tests/data/csv_prep_small.csv, statistics from the training split only,
// refusals that name the line and column, the fitted preparation through the project file and
// evaluation, and the wine sample training briefly.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "engine/data/csv_prep.h"
#include "engine/data/csv_table.h"
#include "engine/data/dataset.h"
#include "engine/io/project_io.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/run_loop.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::errorOf;

namespace {

const std::string kWine = "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv";

CsvTable smallTable() {
    return readCsvTable(netloom::test::dataFile("csv_prep_small.csv"));
}

DatasetConfig csvConfig(const std::string& path) {
    DatasetConfig c;
    c.kind = "csv";
    c.csvPath = path;
    return c;
}

// Plans, fits on trainRows (all kept rows are the validation/test candidates) and applies to
// rows.
Dataset prepared(const DatasetConfig& c, const std::vector<int64_t>& trainRows,
                 const std::vector<int64_t>& rows, CsvPrepFit* out = nullptr) {
    const CsvTable t = smallTable();
    CsvPrepFit fit = planCsvPrep(t, c);
    const std::vector<int64_t> kept = keptCsvRows(t, fit);
    fitCsvPrep(t, fit, kept, trainRows);
    if (out) *out = fit;
    return applyCsvPrep(t, fit, rows, "small");
}

float at(const Dataset& d, int64_t row, int64_t column) {
    return d.features[static_cast<size_t>(row * d.sampleShape[0] + column)];
}

}  // namespace

class TestCsvPrep : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string write(const std::string& name, const std::string& text) {
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        QFile f(QString::fromStdString(path));
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", name.c_str());
        f.write(text.data(), static_cast<qint64>(text.size()));
        return path;
    }

private slots:
    // Rows 0..3 are the training split: age {20, 30, -, 70}, height {1.5, -, 1.6, 1.6},
    // color {red, blue, red, green}. Inputs: age, height, color=blue, color=green, color=red.
    void fillsByHand() {
        DatasetConfig c = csvConfig("");
        c.csvCategorical = "color";
        c.csvMissing = "mean";
        CsvPrepFit fit;
        Dataset d = prepared(c, {0, 1, 2, 3}, {0, 1, 2, 3, 4, 5}, &fit);
        QCOMPARE(d.sampleShape, (Shape{5}));
        QCOMPARE(fit.inputNames(), (std::vector<std::string>{"age", "height", "color=blue",
                                                             "color=green", "color=red"}));
        QCOMPARE(at(d, 2, 0), 40.0f);                         // mean of 20, 30, 70
        QCOMPARE(at(d, 1, 1), float((1.5 + 1.6 + 1.6) / 3));  // mean height
        // Row 4's color is missing: the most frequent training category, red.
        QCOMPARE(at(d, 4, 2), 0.0f);
        QCOMPARE(at(d, 4, 4), 1.0f);
        QCOMPARE(at(d, 1, 2), 1.0f);  // blue
        // Text classes sorted: no = 0, yes = 1.
        QCOMPARE(d.classNames, (std::vector<std::string>{"no", "yes"}));
        QCOMPARE(d.labels, (std::vector<int32_t>{1, 0, 1, 0, 1, 0}));

        c.csvMissing = "median";
        d = prepared(c, {0, 1, 2, 3}, {1, 2});
        QCOMPARE(at(d, 1, 0), 30.0f);  // median of 20, 30, 70
        QCOMPARE(at(d, 0, 1), 1.6f);   // median of 1.5, 1.6, 1.6
        c.csvMissing = "most_frequent";
        d = prepared(c, {0, 1, 2, 3}, {1, 2});
        QCOMPARE(at(d, 1, 0), 20.0f);  // 20, 30, 70 tie: the smallest, as scikit-learn
        QCOMPARE(at(d, 0, 1), 1.6f);
        // Per column overrides the global strategy.
        c.csvMissingColumns = "age=median, height=mean";
        d = prepared(c, {0, 1, 2, 3}, {1, 2});
        QCOMPARE(at(d, 1, 0), 30.0f);
        QCOMPARE(at(d, 0, 1), float((1.5 + 1.6 + 1.6) / 3));
    }

    void scalesByHand() {
        DatasetConfig c = csvConfig("");
        c.csvFeatures = "age";
        c.csvMissing = "mean";
        c.csvScaling = "standardize";
        CsvPrepFit fit;
        // Filled training ages {20, 30, 40, 70}: mean 40, population variance 350.
        Dataset d = prepared(c, {0, 1, 2, 3}, {4, 0}, &fit);
        QCOMPARE(d.sampleShape, (Shape{1}));
        QCOMPARE(fit.columns.at(0).shift, 40.0);
        QCOMPARE(fit.columns.at(0).scale, std::sqrt(350.0));
        QCOMPARE(at(d, 0, 0), float(10.0 / std::sqrt(350.0)));  // row 4: age 50
        QCOMPARE(at(d, 1, 0), float(-20.0 / std::sqrt(350.0)));
        // Min-max after a median fill: {20, 30, 30, 70} → min 20, range 50; row 5 (60) → 0.8.
        c.csvMissing = "median";
        c.csvScaling = "minmax";
        d = prepared(c, {0, 1, 2, 3}, {5, 2});
        QCOMPARE(at(d, 0, 0), 0.8f);
        QCOMPARE(at(d, 1, 0), 0.2f);  // the filled 30
    }

    void oneHotReportsUnseenCategories() {
        DatasetConfig c = csvConfig("");
        c.csvCategorical = "color";
        c.csvMissing = "most_frequent";
        Dataset d = prepared(c, {0, 1, 2, 3}, {5});
        // purple was never seen in training: all zeros, and said so.
        QCOMPARE(at(d, 0, 2) + at(d, 0, 3) + at(d, 0, 4), 0.0f);
        QCOMPARE(d.notes.size(), size_t(1));
        QVERIFY2(
            QString::fromStdString(d.notes[0])
                .contains("column 'color': 1 row has a category not seen in training ('purple')"),
            d.notes[0].c_str());
    }

    void dropsRows() {
        DatasetConfig c = csvConfig("");
        c.csvCategorical = "color";
        c.csvMissing = "drop";
        const CsvTable t = smallTable();
        const CsvPrepFit plan = planCsvPrep(t, c);
        QCOMPARE(keptCsvRows(t, plan), (std::vector<int64_t>{0, 3, 5}));
        // Only age drops; height is filled.
        c.csvMissing = "mean";
        c.csvMissingColumns = "age=drop";
        QCOMPARE(keptCsvRows(t, planCsvPrep(t, c)), (std::vector<int64_t>{0, 1, 3, 4, 5}));
    }

    void refusals_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("setting");  // name=value
        QTest::addColumn<QString>("expected");
        QTest::newRow("text in a numeric column")
            << "a,b,y\n1,2,0\n3,abc,1\n"
            << "csv_missing=error"
            << "bad.csv line 3, column 'b': 'abc' is not a number (a numeric column; list 'b' in "
               "dataset.csv_categorical";
        QTest::newRow("target column missing") << "a,b,y\n1,2,0\n"
                                               << "csv_target=z"
                                               << "dataset.csv_target: ";
        QTest::newRow("missing value refused")
            << "a,b,y\n1,2,0\n3,,1\n"
            << "csv_missing=error"
            << "bad.csv line 3, column 'b': the value is missing";
        QTest::newRow("missing target")
            << "a,b,y\n1,2,0\n3,4,NA\n"
            << "csv_missing=mean"
            << "bad.csv line 3, column 'y': the value is missing ('NA'); set dataset.csv_missing "
               "to drop";
        QTest::newRow("all rows dropped")
            << "a,b,y\n1,,0\n,4,1\n"
            << "csv_missing=drop"
            << "every row was dropped for a missing value (rows dropped by column: a: 1, b: 1)";
        QTest::newRow("unknown feature") << "a,b,y\n1,2,0\n"
                                         << "csv_features=a,q"
                                         << "dataset.csv_features: ";
        QTest::newRow("feature is target") << "a,b,y\n1,2,0\n"
                                           << "csv_features=y"
                                           << "'y' is the target column";
        QTest::newRow("mean of categories")
            << "a,b,y\n1,x,0\n"
            << "csv_missing_columns=b=mean"
            << "column 'b' holds categories; fill it with most_frequent";
        QTest::newRow("bad per-column strategy") << "a,b,y\n1,2,0\n"
                                                 << "csv_missing_columns=a=zero"
                                                 << "column 'a': unknown strategy 'zero'";
        QTest::newRow("sklearn header wrong") << "a,b,y\n1,2,0\n"
                                              << "csv_header=sklearn"
                                              << "bad.csv line 1: not a scikit-learn header";
        QTest::newRow("sklearn count wrong")
            << "3,2,p,q\n1,2,0\n"
            << "csv_header=sklearn"
            << "the header declares 3 samples but the file has 1 rows";
    }
    void refusals() {
        QFETCH(QString, text);
        QFETCH(QString, setting);
        QFETCH(QString, expected);
        const std::string path = write("bad.csv", text.toStdString());
        DatasetConfig c = csvConfig(path);
        c.testFraction = 0.0;
        const QString name = setting.section('=', 0, 0), value = setting.section('=', 1);
        if (name == "csv_missing") c.csvMissing = value.toStdString();
        if (name == "csv_target") c.csvTarget = value.toStdString();
        if (name == "csv_features") c.csvFeatures = value.toStdString();
        if (name == "csv_missing_columns") {
            c.csvMissingColumns = value.toStdString();
            c.csvCategorical = "b";
            if (value.startsWith("a=")) c.csvCategorical = "";
        }
        if (name == "csv_header") c.csvHeader = value.toStdString();
        const QString message = errorOf([&] { loadData(c, 0.0, 1); });
        QVERIFY2(!message.isEmpty(), "no error");
        QVERIFY2(message.contains(expected), qPrintable(message));
        if (name == "csv_target")
            QVERIFY2(message.contains("has no column named 'z' (columns: a, b, y)"),
                     qPrintable(message));
        // Refusals of a bad value name the file with its line.
        if (expected.contains("line"))
            QVERIFY2(message.startsWith(QString::fromStdString(path)), qPrintable(message));
    }

    // 40 rows; x = row number; statistics must come from the rows that end up in training.
    void statisticsFromTheTrainingSplitOnly() {
        std::string text = "x,y\n";
        for (int i = 0; i < 40; ++i)
            text += std::to_string(i * i) + "," + std::to_string(i % 2) + "\n";
        DatasetConfig c = csvConfig(write("forty.csv", text));
        c.csvScaling = "standardize";
        c.testFraction = 0.25;
        const DataSplit s = loadData(c, 0.2, 3);
        QCOMPARE(s.train.count + s.validation.count + s.test.count, int64_t(40));
        QVERIFY(s.train.csvPrep && s.test.csvPrep && s.validation.csvPrep);
        const CsvPrepFit& fit = *s.train.csvPrep;
        QCOMPARE(fit.trainRows, s.train.count);
        const double mean = fit.columns[0].shift, sd = fit.columns[0].scale;
        // Undo the scaling to get the raw training values back and recompute by hand.
        double sum = 0, sq = 0;
        std::vector<double> raw;
        for (float v : s.train.features) raw.push_back(std::round(v * sd + mean));
        for (double v : raw) sum += v;
        const double m = sum / double(raw.size());
        for (double v : raw) sq += (v - m) * (v - m);
        QCOMPARE(mean, m);
        QVERIFY(std::fabs(sd - std::sqrt(sq / double(raw.size()))) < 1e-9);
        // Over all 40 rows the mean would be 513.5: the test and validation rows took no part.
        QVERIFY(std::fabs(mean - 513.5) > 1.0);
        // The other parts are scaled with the same numbers.
        QCOMPARE(*s.test.csvPrep, fit);
        std::set<double> all(raw.begin(), raw.end());
        for (const Dataset* d : {&s.validation, &s.test})
            for (float v : d->features) all.insert(std::round(v * sd + mean));
        QCOMPARE(int(all.size()), 40);  // every row exactly once, values intact
        QCOMPARE(*all.rbegin(), 39.0 * 39.0);
    }

    // The fitted preparation travels in the run record; evaluation (validation split 0, so a
    // different "training" part) applies it instead of fitting again.
    void projectRoundTripAndEvaluation() {
        std::string text = "a,kind,y\n";
        for (int i = 0; i < 30; ++i)
            text += std::to_string(i * 3 % 17) + "," + (i % 3 ? "p" : "q") + "," +
                    std::to_string(i % 2) + "\n";
        Project p;
        p.training.dataset = csvConfig(write("thirty.csv", text));
        DatasetConfig& c = p.training.dataset;
        c.csvCategorical = "kind";
        c.csvScaling = "minmax";
        c.csvMissing = "median";
        c.csvMissingColumns = "kind=most_frequent";
        c.csvFeatures = "a,kind";
        const DataSplit trained = loadData(c, 0.3, p.training.seed);
        RunRecord r;
        r.status = "finished";
        r.config = p.training;
        r.dataPrep = trained.train.csvPrep;
        p.history.push_back(r);
        const std::string file = m_dir.filePath("prep.netloom").toStdString();
        saveProject(p, file);
        const Project back = loadProject(file);
        QCOMPARE(back.training.dataset, p.training.dataset);
        QVERIFY(back.latestDataPrep());
        QCOMPARE(*back.latestDataPrep(), *trained.train.csvPrep);

        const DataSplit refit = loadData(c, 0.0, p.training.seed);
        const DataSplit saved = loadData(c, 0.0, p.training.seed, back.latestDataPrep());
        QCOMPARE(saved.test.features, trained.test.features);
        QVERIFY(refit.test.features != trained.test.features);  // why the fit is saved
        // A fit naming a column the file no longer has is refused by name.
        CsvPrepFit other = *back.latestDataPrep();
        other.columns[0].name = "gone";
        QVERIFY(errorOf([&] {
                    loadData(c, 0.0, 1, &other);
                }).contains("the saved data preparation's feature: "));
    }

    void sklearnHeader() {
        const std::string path =
            write("tiny_sk.csv", "3,2,setosa,virginica\n1,2,0\n3,4,1\n5,6,1\n");
        DatasetConfig c = csvConfig(path);
        c.csvHeader = "sklearn";
        c.testFraction = 0.0;
        const DataSplit s = loadData(c, 0.0, 1);
        QCOMPARE(s.train.classNames, (std::vector<std::string>{"setosa", "virginica"}));
        QCOMPARE(s.train.sampleShape, (Shape{2}));
        QCOMPARE(s.train.csvPrep->inputNames(),
                 (std::vector<std::string>{"feature 1", "feature 2"}));
    }

    void columnStats() {
        const std::vector<CsvColumnStats> st = csvColumnStats(smallTable());
        QCOMPARE(st.size(), size_t(4));
        QVERIFY(st[0].numeric);
        QCOMPARE(st[0].count, int64_t(5));
        QCOMPARE(st[0].missing, int64_t(1));
        QCOMPARE(st[0].mean, 46.0);  // 20, 30, 70, 50, 60
        QCOMPARE(st[0].min, 20.0);
        QCOMPARE(st[0].max, 70.0);
        QVERIFY(!st[2].numeric);
        QCOMPARE(st[2].categories.front(), (std::pair<std::string, int64_t>{"red", 2}));
        QCOMPARE(st[3].categories.size(), size_t(2));
    }

    // The wine sample (samples/wine-mlp.netloom) trains briefly and learns: scikit-learn's
    // wine data from Debian's python3-sklearn, which scripts/setup.sh installs.
    void wineSampleTrains() {
        if (!std::filesystem::exists(kWine))
            QSKIP("python3-sklearn is not installed (scripts/setup.sh installs it)");
        Project p = loadProject(netloom::test::sampleFile("wine-mlp.netloom"));
        QCOMPARE(p.training.dataset.csvPath, kWine);
        p.training.epochs = 8;
        p.training.threads = 1;
        std::unique_ptr<TrainingRecipe> recipe = taskFor(p.training).makeRecipe(recipeInputsFor(p));
        RunControl control;
        const RunRecord r = runTraining(*recipe, control, {}, [](const RunEvent&) {});
        QCOMPARE(QString::fromStdString(r.status), QString("finished"));
        QVERIFY(r.dataPrep);
        QCOMPARE(r.dataPrep->classNames,
                 (std::vector<std::string>{"class_0", "class_1", "class_2"}));
        QCOMPARE(r.dataPrep->columns.size(), size_t(13));
        // Chance is about 0.4; a standardised MLP is near 0.9 after 8 epochs.
        QVERIFY2(r.testAccuracy > 0.8, qPrintable(QString::number(r.testAccuracy)));
    }
};

QTEST_GUILESS_MAIN(TestCsvPrep)
#include "test_csv_prep.moc"
