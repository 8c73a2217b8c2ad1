#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include "support/test_support.h"

#include "engine/core/error.h"
#include "engine/data/csv_reader.h"
#include "engine/data/dataset.h"
#include "engine/data/synthetic.h"

using namespace netloom::engine;

namespace {

using netloom::test::errorOf;

std::map<int, int64_t> histogram(const std::vector<int32_t>& labels) {
    std::map<int, int64_t> h;
    for (int32_t l : labels) ++h[l];
    return h;
}

}  // namespace

class TestCsvSynthetic : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& bytes) {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(name));
        f.write(bytes);
        return f.fileName().toStdString();
    }

private slots:
    void parsesClassification() {
        // BOM, CRLF, a blank line, spaces, quotes and exponents.
        const std::string text =
            "\xEF\xBB\xBFx1, \"x2\" ,label\r\n1,2,0\r\n\r\n 3.5 ,-4e-1,2\r\n\"5\",+6,1\r\n";
        Dataset d = parseCsvDataset(text, "data.csv");
        QCOMPARE(d.count, int64_t(3));
        QCOMPARE(d.sampleShape, (Shape{2}));
        QCOMPARE(d.features, (std::vector<float>{1, 2, 3.5f, -0.4f, 5, 6}));
        QCOMPARE(d.labels, (std::vector<int32_t>{0, 2, 1}));
        QCOMPARE(d.numClasses, 3);
        QVERIFY(d.targets.empty());
        QCOMPARE(d.targetSize, int64_t(0));
        QVERIFY(!d.isImage());

        Tensor x, y;
        const int64_t idx[] = {2, 1};
        d.fillBatch(idx, 2, x, &y);
        QCOMPARE(x.dims(), (std::vector<int64_t>{2, 2}));
        QCOMPARE(x[0], 5.0f);
        QCOMPARE(x[3], -0.4f);
        QCOMPARE(y.dims(), (std::vector<int64_t>{2}));
        QCOMPARE(y[0], 1.0f);
        QCOMPARE(y[1], 2.0f);
    }

    void parsesRegressionWithNamedTarget() {
        // The target is a middle column, named in quotes with a comma inside.
        const std::string text = "a,\"price, EUR\",b\n1,10.5,2\n3,-7,4\n5,1000.25,6\n";
        Dataset d = parseCsvDataset(text, "houses.csv", "price, EUR");
        QCOMPARE(d.count, int64_t(3));
        QCOMPARE(d.sampleShape, (Shape{2}));
        QCOMPARE(d.features, (std::vector<float>{1, 2, 3, 4, 5, 6}));
        QCOMPARE(d.targets, (std::vector<float>{10.5f, -7, 1000.25f}));
        QCOMPARE(d.targetSize, int64_t(1));
        QVERIFY(d.labels.empty());
        QCOMPARE(d.numClasses, 0);

        Tensor x, y;
        const int64_t idx[] = {1};
        d.fillBatch(idx, 1, x, &y);
        QCOMPARE(y.dims(), (std::vector<int64_t>{1, 1}));
        QCOMPARE(y[0], -7.0f);
    }

    void decidesClassificationOrRegression_data() {
        QTest::addColumn<QString>("targets");
        QTest::addColumn<bool>("classification");
        QTest::addColumn<int>("classes");
        QTest::newRow("small integers") << "0 3 1" << true << 4;
        QTest::newRow("integer floats") << "1.0 2.00 0" << true << 3;
        QTest::newRow("upper limit") << "0 1000" << true << 1001;
        QTest::newRow("too large") << "0 1001" << false << 0;
        QTest::newRow("fraction") << "0 2.5" << false << 0;
        QTest::newRow("negative") << "-1 0 1" << false << 0;
    }
    void decidesClassificationOrRegression() {
        QFETCH(QString, targets);
        QFETCH(bool, classification);
        QFETCH(int, classes);
        std::string text = "x,t\n";
        for (const QString& t : targets.split(' ')) text += "0.5," + t.toStdString() + "\n";
        Dataset d = parseCsvDataset(text, "t.csv");
        QCOMPARE(!d.labels.empty(), classification);
        QCOMPARE(!d.targets.empty(), !classification);
        QCOMPARE(d.numClasses, classes);
    }

    void rejectsBadCsv_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a number") << "a,x2,y\n1,2,3\n4,abc,5\n"
                                      << ""
                                      << "data.csv line 3, column 'x2': 'abc' is not a number";
        // (A text target is a class name, not an error: csv_prep.h.)
        QTest::newRow("blank lines count") << "a,b\n\n1,2\n\n1x,2\n"
                                           << ""
                                           << "data.csv line 5, column 'a': '1x' is not a number";
        QTest::newRow("ragged short") << "a,b,y\n1,2,3\n4,5\n"
                                      << ""
                                      << "data.csv line 3: 2 values, but the header has 3 columns";
        QTest::newRow("ragged long") << "a,b\n1,2,3\n"
                                     << ""
                                     << "data.csv line 2: 3 values, but the header has 2 columns";
        QTest::newRow("empty file") << ""
                                    << ""
                                    << "data.csv: the file is empty";
        QTest::newRow("only blank lines") << "\n \n\r\n"
                                          << ""
                                          << "data.csv: the file is empty";
        QTest::newRow("header only") << "a,b\n"
                                     << ""
                                     << "data.csv: no data rows after the header";
        QTest::newRow("one column") << "a\n1\n"
                                    << ""
                                    << "need at least two";
        QTest::newRow("empty value") << "a,b\n1,\n"
                                     << ""
                                     << "data.csv line 2, column 'b': the value is missing";
        QTest::newRow("open quote") << "a,b\n1,\"2\n"
                                    << ""
                                    << "data.csv line 2: a quoted field is not closed";
        QTest::newRow("nan") << "a,b\nnan,1\n"
                             << ""
                             << "line 2, column 'a': the value is missing ('nan')";
        QTest::newRow("huge") << "a,b\n1e39,1\n"
                              << ""
                              << "'1e39' is out of range";
        QTest::newRow("unknown target") << "a,b\n1,2\n"
                                        << "z"
                                        << "data.csv has no column named 'z' (columns: a, b)";
        QTest::newRow("duplicate target") << "a,a,b\n1,2,3\n"
                                          << "a"
                                          << "more than one column is named 'a'";
    }
    void rejectsBadCsv() {
        QFETCH(QString, text);
        QFETCH(QString, target);
        QFETCH(QString, expected);
        const QString message =
            errorOf([&] { parseCsvDataset(text.toStdString(), "data.csv", target.toStdString()); });
        QVERIFY2(message.contains(expected), qPrintable("message: " + message));
    }

    void readsFilesAndNamesThem() {
        const std::string path = write("iris.csv", "f1,f2,species\n0.1,0.2,0\n0.3,0.4,1\n");
        Dataset d = readCsvDataset(path);
        QCOMPARE(d.count, int64_t(2));
        QCOMPARE(d.numClasses, 2);
        const std::string bad = write("bad.csv", "f1,f2\n0.1,1\n0.2,0\n0.3,zz\n");
        QString message = errorOf([&] { readCsvDataset(bad); });
        QVERIFY2(message.startsWith(QString::fromStdString(bad) + " line 4, column 'f2'"),
                 qPrintable(message));
        const std::string empty = write("empty.csv", "");
        message = errorOf([&] { readCsvDataset(empty); });
        QVERIFY2(message.contains("the file is empty"), qPrintable(message));
        message = errorOf([&] { readCsvDataset(m_dir.filePath("missing.csv").toStdString()); });
        QVERIFY2(message.contains("missing.csv: cannot open"), qPrintable(message));
    }

    void csvThroughLoadData() {
        std::string text = "a,b,y\n";
        for (int i = 0; i < 20; ++i)
            text += std::to_string(i) + "," + std::to_string(i * 2) + "," + std::to_string(i % 2) +
                    "\n";
        DatasetConfig c;
        c.kind = "csv";
        c.csvPath = write("twenty.csv", QByteArray::fromStdString(text));
        c.testFraction = 0.25;
        DataSplit s = loadData(c, 0.2, 9);
        QCOMPARE(s.test.count, int64_t(5));
        QCOMPARE(s.validation.count, int64_t(3));
        QCOMPARE(s.train.count, int64_t(12));
        QCOMPARE(s.train.numClasses, 2);
        QCOMPARE(s.test.numClasses, 2);
        // Every row lands in exactly one part; feature a is the row number.
        std::vector<float> rows;
        for (const Dataset* d : {&s.train, &s.validation, &s.test})
            for (int64_t i = 0; i < d->count; ++i) rows.push_back(d->features[size_t(i * 2)]);
        std::sort(rows.begin(), rows.end());
        for (int i = 0; i < 20; ++i) QCOMPARE(rows[size_t(i)], float(i));
        // Seeded: same seed, same test rows; another seed, other rows.
        DataSplit same = loadData(c, 0.2, 9);
        QCOMPARE(same.test.features, s.test.features);
        DataSplit other = loadData(c, 0.2, 10);
        QVERIFY(other.test.features != s.test.features);
        c.testFraction = 1.0;
        QVERIFY(errorOf([&] { loadData(c, 0, 1); }).contains("test fraction must be"));
    }

    void syntheticSets_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("classes");
        QTest::newRow("spiral") << "spiral" << 3;
        QTest::newRow("circles") << "circles" << 2;
        QTest::newRow("xor") << "xor" << 2;
        QTest::newRow("gaussians") << "gaussians" << 4;
    }
    void syntheticSets() {
        QFETCH(QString, kind);
        QFETCH(int, classes);
        const int64_t n = 1001;
        Dataset d = makeSynthetic(kind.toStdString(), n, 0.1, 5);
        QCOMPARE(d.count, n);
        QCOMPARE(d.sampleShape, (Shape{2}));
        QCOMPARE(d.features.size(), size_t(2 * n));
        QCOMPARE(d.numClasses, classes);
        QCOMPARE(int(d.classNames.size()), classes);
        // Balanced: class sizes differ by at most one.
        auto h = histogram(d.labels);
        QCOMPARE(int(h.size()), classes);
        for (auto [label, count] : h) {
            QVERIFY(label >= 0 && label < classes);
            QVERIFY(count == n / classes || count == n / classes + 1);
        }
        for (float v : d.features) QVERIFY(std::isfinite(v) && std::fabs(v) < 3.0f);
        // Shuffled: the first tenth already holds every class.
        QCOMPARE(int(histogram({d.labels.begin(), d.labels.begin() + n / 10}).size()), classes);

        // Seeded: the same seed gives the same set, another seed another one.
        Dataset same = makeSynthetic(kind.toStdString(), n, 0.1, 5);
        QCOMPARE(same.features, d.features);
        QCOMPARE(same.labels, d.labels);
        Dataset other = makeSynthetic(kind.toStdString(), n, 0.1, 6);
        QVERIFY(other.features != d.features);
    }

    void syntheticGeometry() {
        // Without noise each set has its clean shape.
        Dataset xorSet = makeSynthetic("xor", 400, 0.0, 1);
        for (int64_t i = 0; i < xorSet.count; ++i) {
            const float x = xorSet.features[size_t(2 * i)], y = xorSet.features[size_t(2 * i + 1)];
            QCOMPARE(xorSet.labels[size_t(i)], x * y >= 0 ? 0 : 1);
        }
        Dataset circles = makeSynthetic("circles", 400, 0.0, 1);
        for (int64_t i = 0; i < circles.count; ++i) {
            const float r =
                std::hypot(circles.features[size_t(2 * i)], circles.features[size_t(2 * i + 1)]);
            QVERIFY(std::fabs(r - (circles.labels[size_t(i)] == 0 ? 1.0f : 0.5f)) < 1e-4f);
        }
        Dataset spiral = makeSynthetic("spiral", 300, 0.0, 1);
        for (int64_t i = 0; i < spiral.count; ++i)
            QVERIFY(std::hypot(spiral.features[size_t(2 * i)],
                               spiral.features[size_t(2 * i + 1)]) <= 1.0f + 1e-5f);
        Dataset blobs = makeSynthetic("gaussians", 4000, 0.0, 1);
        const float cx[4] = {1, -1, -1, 1}, cy[4] = {1, 1, -1, -1};
        double sx[4] = {}, sy[4] = {};
        for (int64_t i = 0; i < blobs.count; ++i) {
            sx[blobs.labels[size_t(i)]] += blobs.features[size_t(2 * i)];
            sy[blobs.labels[size_t(i)]] += blobs.features[size_t(2 * i + 1)];
        }
        for (int c = 0; c < 4; ++c) {
            QVERIFY(std::fabs(sx[c] / 1000 - cx[c]) < 0.05);
            QVERIFY(std::fabs(sy[c] / 1000 - cy[c]) < 0.05);
        }
    }

    void syntheticErrors() {
        QVERIFY(errorOf([] {
                    makeSynthetic("moons", 100, 0.1, 1);
                }).contains("unknown synthetic dataset 'moons'"));
        QVERIFY(errorOf([] { makeSynthetic("spiral", 2, 0.1, 1); }).contains("samples must be"));
        QVERIFY(errorOf([] { makeSynthetic("xor", 100, -1, 1); }).contains("noise must be"));
        QVERIFY(errorOf([] { makeSynthetic("xor", 100, std::nan(""), 1); }).contains("noise"));
    }

    void syntheticThroughLoadData() {
        DatasetConfig c;
        c.kind = "synthetic";
        c.synthetic = "gaussians";
        c.syntheticSamples = 400;
        c.testFraction = 0.25;
        c.limitTrain = 200;
        DataSplit s = loadData(c, 0.0, 3);
        QCOMPARE(s.train.count, int64_t(200));
        QCOMPARE(s.test.count, int64_t(100));
        QCOMPARE(s.validation.count, int64_t(0));
        QCOMPARE(s.validation.numClasses, 4);  // an empty hold-out keeps the metadata
        QCOMPARE(s.train.numClasses, 4);
        QVERIFY(s.train.name.find("gaussians") != std::string::npos);
        DataSplit again = loadData(c, 0.0, 3);
        QCOMPARE(again.train.features, s.train.features);
        QCOMPARE(again.test.labels, s.test.labels);
    }
};

QTEST_GUILESS_MAIN(TestCsvSynthetic)
#include "test_csv_synthetic.moc"
