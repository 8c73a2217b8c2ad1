#include <zlib.h>

#include <QTemporaryDir>
#include <QtTest>
#include <array>
#include <cstdlib>
#include <fstream>

#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/data/idx_reader.h"
#include "support/test_support.h"

using namespace netloom::engine;

namespace {

QByteArray be32(uint32_t v) {
    QByteArray b(4, '\0');
    b[0] = char(v >> 24);
    b[1] = char(v >> 16);
    b[2] = char(v >> 8);
    b[3] = char(v);
    return b;
}

// An IDX file: magic 00 00 type rank, big-endian dims, payload.
QByteArray idx(uint8_t type, const std::vector<uint32_t>& dims, const QByteArray& payload) {
    QByteArray b;
    b.append('\0').append('\0').append(char(type)).append(char(dims.size()));
    for (uint32_t d : dims) b.append(be32(d));
    return b + payload;
}

QByteArray pattern(int n, int salt = 0) {
    QByteArray b(n, '\0');
    for (int i = 0; i < n; ++i) b[i] = char((i * 37 + salt) % 256);
    return b;
}

// gzip-compressed bytes (windowBits 31 = gzip wrapper).
QByteArray gzip(const QByteArray& data) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    QByteArray out(int(deflateBound(&z, uLong(data.size()))) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(int(z.total_out));
    deflateEnd(&z);
    return out;
}

// Collects the message of the netloom::Error that f throws ("" when it does not throw).
using netloom::test::errorOf;

}  // namespace

class TestIdxReader : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path.toStdString();
    }

    // Five 3×4 images and labels 0..4 (plain or gzip), written under names with the prefix.
    std::pair<std::string, std::string> writePair(
        const QString& prefix, bool gz, const QByteArray& labels = QByteArray("\0\1\2\3\4", 5)) {
        QByteArray images = idx(0x08, {5, 3, 4}, pattern(60));
        QByteArray labelFile = idx(0x08, {uint32_t(labels.size())}, labels);
        const QString ext = gz ? ".gz" : "";
        return {write(prefix + "-images-idx3-ubyte" + ext, gz ? gzip(images) : images),
                write(prefix + "-labels-idx1-ubyte" + ext, gz ? gzip(labelFile) : labelFile)};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readsPlainAndGzip_data() {
        QTest::addColumn<bool>("gz");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }
    void readsPlainAndGzip() {
        QFETCH(bool, gz);
        auto [images, labels] = writePair(gz ? "ok-gz" : "ok-plain", gz);
        IdxArray raw = readIdxImages(images);
        QCOMPARE(raw.dims, (std::vector<int64_t>{5, 3, 4}));
        QCOMPARE(raw.data.size(), size_t(60));
        const QByteArray expected = pattern(60);
        for (int i = 0; i < 60; ++i) QCOMPARE(raw.data[size_t(i)], uint8_t(expected[i]));

        Dataset d = loadIdxDataset(images, labels);
        QCOMPARE(d.count, int64_t(5));
        QCOMPARE(d.sampleShape, (Shape{1, 3, 4}));
        QVERIFY(d.isImage());
        QCOMPARE(d.labels, (std::vector<int32_t>{0, 1, 2, 3, 4}));
        QCOMPARE(d.numClasses, 10);
        QCOMPARE(d.classNames.size(), size_t(10));
        QCOMPARE(d.classNames[3], std::string("3"));
    }

    void concatenatedGzipMembersAreOneStream() {
        // `cat a.gz b.gz` is a valid gzip file holding both payloads.
        QByteArray file = idx(0x08, {6}, QByteArray("\x01\x02\x03\x04\x05\x06", 6));
        std::string path = write("multi-labels.gz", gzip(file.left(7)) + gzip(file.mid(7)));
        IdxArray a = readIdxLabels(path);
        QCOMPARE(a.data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
    }

    void rejectsDamagedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("labelsFile");
        QTest::addColumn<QString>("expected");
        const QByteArray good = idx(0x08, {10, 28, 28}, pattern(7840));
        QTest::newRow("empty") << QByteArray() << false << "the file is empty";
        QTest::newRow("too short") << QByteArray("\0\0", 2) << false << "too short";
        QTest::newRow("wrong magic") << QByteArray("PK\x03\x04 whatever") << false
                                     << "wrong magic number 50 4B 03 04 (expected 00 00 08 03)";
        QTest::newRow("float dtype") << idx(0x0D, {10, 28, 28}, pattern(7840 * 4)) << false
                                     << "data type 0x0D (float32) is not supported";
        QTest::newRow("int32 dtype")
            << idx(0x0C, {10}, pattern(40)) << true << "data type 0x0C (int32) is not supported";
        QTest::newRow("labels as images") << idx(0x08, {10}, pattern(10)) << false
                                          << "declares 1 dimension — is this a labels file?";
        QTest::newRow("images as labels")
            << good << true << "declares 3 dimensions — is this an images file?";
        QTest::newRow("rank 4") << idx(0x08, {1, 1, 1, 1}, pattern(1)) << false
                                << "declares 4 dimensions";
        QTest::newRow("truncated header")
            << good.left(10) << false << "truncated header: 10 of 16 header bytes";
        QTest::newRow("zero count")
            << idx(0x08, {0, 28, 28}, QByteArray()) << false << "dimension 1 is zero";
        QTest::newRow("zero cols")
            << idx(0x08, {10, 28, 0}, QByteArray()) << false << "dimension 3 is zero";
        QTest::newRow("huge dim") << idx(0x08, {200000000, 1, 1}, QByteArray()) << false
                                  << "dimension 1 is 200,000,000, over the limit of 100,000,000";
        QTest::newRow("huge total") << idx(0x08, {100000, 1000, 1000}, QByteArray()) << false
                                    << "promises more than 2,147,483,648 bytes";
        QTest::newRow("truncated") << good.left(16 + 1000) << false
                                   << "truncated: header promises 7,840 bytes of pixels, file "
                                      "has 1,000";
        QTest::newRow("truncated gz") << gzip(good.left(16 + 1000)) << false
                                      << "truncated: header promises 7,840 bytes of pixels, file "
                                         "has 1,000 after decompression";
        QTest::newRow("truncated labels") << idx(0x08, {10}, pattern(3)) << true
                                          << "header promises 10 bytes of labels, file has 3";
        QTest::newRow("trailing") << good + "xyz" << false
                                  << "3 unexpected bytes after the 7,840 bytes of pixels";
        QTest::newRow("trailing gz")
            << gzip(good + "xyz") << false << "unexpected bytes after the 7,840 bytes of pixels";
        QByteArray cut = gzip(good);
        cut.chop(cut.size() / 2);
        QTest::newRow("cut gzip") << cut << false << "the gzip data is cut short";
        QByteArray noTrailer = gzip(good);
        noTrailer.chop(4);  // the payload is complete, the gzip size field is not
        QTest::newRow("gzip without trailer")
            << noTrailer << false << "the gzip data is cut short after the payload";
        QByteArray badMethod = gzip(good);
        badMethod[2] = 7;  // compression method must be 8 (deflate)
        QTest::newRow("bad gzip method") << badMethod << false << "damaged gzip data";
        QTest::newRow("junk after gzip")
            << gzip(good) + "junk" << false << "unexpected bytes after the end of the gzip data";
    }
    void rejectsDamagedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, labelsFile);
        QFETCH(QString, expected);
        const QString name = QString("bad-%1.bin").arg(QTest::currentDataTag()).replace(' ', '_');
        const std::string path = write(name, bytes);
        const QString message = errorOf([&] { readIdx(path, labelsFile ? 1 : 3); });
        QVERIFY2(message.contains(expected), qPrintable("message: " + message));
        QVERIFY2(message.startsWith(QString::fromStdString(path) + ": "),
                 qPrintable("message does not name the file: " + message));
    }

    void gzipBombIsCapped() {
        // 7,840 bytes promised, 64 MB of zeros inside: must stop right after the payload.
        const QByteArray header = idx(0x08, {10, 28, 28}, QByteArray());
        z_stream z{};
        QCOMPARE(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_RLE), Z_OK);
        QByteArray out(1 << 20, '\0');
        QByteArray zeros(1 << 20, '\0');
        int total = 0;
        auto feed = [&](const QByteArray& in, int flush) {
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
            z.avail_in = uInt(in.size());
            int ret = Z_OK;
            do {
                if (out.size() - total < 65536) out.resize(out.size() * 2);
                z.next_out = reinterpret_cast<Bytef*>(out.data() + total);
                z.avail_out = uInt(out.size() - total);
                ret = deflate(&z, flush);
                total = int(z.total_out);
            } while (z.avail_in > 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
        };
        feed(header, Z_NO_FLUSH);
        for (int i = 0; i < 64; ++i) feed(zeros, i == 63 ? Z_FINISH : Z_NO_FLUSH);
        deflateEnd(&z);
        out.resize(total);
        QVERIFY(out.size() < 200000);
        const std::string path = write("bomb-images-idx3-ubyte.gz", out);
        const QString message = errorOf([&] { readIdxImages(path); });
        QVERIFY2(message.contains("unexpected bytes after the 7,840 bytes of pixels"),
                 qPrintable(message));
    }

    void missingFileIsNamed() {
        const std::string path = m_dir.filePath("nope.gz").toStdString();
        const QString message = errorOf([&] { readIdxImages(path); });
        QVERIFY2(message.contains(QString::fromStdString(path) + ": cannot open"),
                 qPrintable(message));
        const QString dirMessage = errorOf([&] { readIdxImages(m_dir.path().toStdString()); });
        QVERIFY2(dirMessage.contains("is not a regular file"), qPrintable(dirMessage));
    }

    void countsMustAgree() {
        auto [images, labels] = writePair("mismatch", true, QByteArray("\x01\x02\x03\x04", 4));
        const QString message = errorOf([&] { loadIdxDataset(images, labels); });
        QVERIFY2(message.contains("has 4 labels but"), qPrintable(message));
        QVERIFY2(message.contains("has 5 images"), qPrintable(message));
        QVERIFY(message.contains(QString::fromStdString(images)));
        QVERIFY(message.contains(QString::fromStdString(labels)));
    }

    void labelsOutOfRangeAreNamed() {
        auto [images, labels] = writePair("range", false, QByteArray("\x01\x02\x0c\x03\x0b", 5));
        const QString message = errorOf([&] { loadIdxDataset(images, labels, 10); });
        QVERIFY2(message.startsWith(QString::fromStdString(labels)), qPrintable(message));
        QVERIFY2(message.contains("label 12 at index 2 is out of range: expected 0..9"),
                 qPrintable(message));
        // Inferred classes: max + 1.
        Dataset d = loadIdxDataset(images, labels, 0);
        QCOMPARE(d.numClasses, 13);
        QCOMPARE(d.classNames.back(), std::string("12"));
    }

    void fillBatchScalesPixels_data() {
        QTest::addColumn<QString>("scaling");
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("offset");
        QTest::newRow("unit") << "unit" << 1.0f / 255.0f << 0.0f;
        QTest::newRow("signed") << "signed" << 2.0f / 255.0f << -1.0f;
    }
    void fillBatchScalesPixels() {
        QFETCH(QString, scaling);
        QFETCH(float, scale);
        QFETCH(float, offset);
        auto [trainImages, trainLabels] = writePair("scale-train", true);
        auto [testImages, testLabels] = writePair("scale-test", false);
        DatasetConfig c;
        c.kind = "idx";
        c.trainImages = trainImages;
        c.trainLabels = trainLabels;
        c.testImages = testImages;
        c.testLabels = testLabels;
        c.scaling = scaling.toStdString();
        DataSplit s = loadData(c, 0.0, 1);
        QCOMPARE(s.train.count, int64_t(5));
        QCOMPARE(s.validation.count, int64_t(0));
        QCOMPARE(s.test.count, int64_t(5));
        QCOMPARE(s.train.numClasses, 5);  // idx: classes are max label + 1
        Tensor x, y;
        const int64_t idx[] = {3, 0};
        s.train.fillBatch(idx, 2, x, &y);
        QCOMPARE(x.dims(), (std::vector<int64_t>{2, 1, 3, 4}));
        QCOMPARE(y.dims(), (std::vector<int64_t>{2}));
        QCOMPARE(y[0], 3.0f);
        QCOMPARE(y[1], 0.0f);
        const QByteArray p = pattern(60);
        for (int k = 0; k < 12; ++k) {
            QCOMPARE(x[k], float(uint8_t(p[36 + k])) * scale + offset);
            QCOMPARE(x[12 + k], float(uint8_t(p[k])) * scale + offset);
        }
        QVERIFY(x[0] >= offset && x[0] <= 1.0f);
        const int64_t bad[] = {5};
        const QString message = errorOf([&] { s.train.fillBatch(bad, 1, x, &y); });
        QVERIFY2(message.contains("sample index 5 is out of range"), qPrintable(message));
    }

    void limitsAndValidationSplit() {
        auto [images, labels] = writePair("limits", true);
        DatasetConfig c;
        c.kind = "idx";
        c.trainImages = c.testImages = images;
        c.trainLabels = c.testLabels = labels;
        c.limitTrain = 4;
        c.limitTest = 2;
        DataSplit s = loadData(c, 0.25, 7);
        QCOMPARE(s.train.count + s.validation.count, int64_t(4));
        QCOMPARE(s.validation.count, int64_t(1));
        QCOMPARE(s.test.count, int64_t(2));
        QCOMPARE(s.test.labels, (std::vector<int32_t>{0, 1}));  // the first N samples
        // The hold-out is seeded: the same seed picks the same sample, and every sample of the
        // first four is in exactly one of train / validation.
        DataSplit again = loadData(c, 0.25, 7);
        QCOMPARE(again.validation.labels, s.validation.labels);
        std::vector<int32_t> all = s.train.labels;
        all.insert(all.end(), s.validation.labels.begin(), s.validation.labels.end());
        std::sort(all.begin(), all.end());
        QCOMPARE(all, (std::vector<int32_t>{0, 1, 2, 3}));
        QCOMPARE(s.validation.pixels.size(), size_t(12));
        QCOMPARE(s.validation.sampleShape, (Shape{1, 3, 4}));

        c.scaling = "loud";
        QVERIFY(errorOf([&] { loadData(c, 0.0, 1); }).contains("unknown image scaling 'loud'"));
        c.scaling = "unit";
        c.testLabels.clear();
        QVERIFY(errorOf([&] { loadData(c, 0.0, 1); }).contains("test labels file is not set"));
        c.kind = "parquet";
        QVERIFY(errorOf([&] { loadData(c, 0.0, 1); }).contains("unknown dataset kind 'parquet'"));
    }

    void tinyFixtureLoads() {
        Dataset d = loadIdxDataset(netloom::test::dataFile("tiny-images-idx3-ubyte.gz"),
                                   netloom::test::dataFile("tiny-labels-idx1-ubyte.gz"));
        QCOMPARE(d.count, int64_t(20));
        QCOMPARE(d.sampleShape, (Shape{1, 28, 28}));
        QCOMPARE(d.labels, (std::vector<int32_t>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7,
                                                 4, 5, 7, 3, 4, 1, 2, 4, 8, 0}));
    }

    void fashionDirHonoursEnvironment() {
        // The fixture stands in for Fashion-MNIST under the Debian file names.
        QTemporaryDir fake;
        QVERIFY(fake.isValid());
        for (const char* set : {"train", "t10k"}) {
            QVERIFY(QFile::copy(
                QString::fromStdString(netloom::test::dataFile("tiny-images-idx3-ubyte.gz")),
                fake.filePath(QString(set) + "-images-idx3-ubyte.gz")));
            QVERIFY(QFile::copy(
                QString::fromStdString(netloom::test::dataFile("tiny-labels-idx1-ubyte.gz")),
                fake.filePath(QString(set) + "-labels-idx1-ubyte.gz")));
        }
        const QByteArray saved = qgetenv("NETLOOM_FASHION_DIR");
        const bool hadSaved = qEnvironmentVariableIsSet("NETLOOM_FASHION_DIR");
        qputenv("NETLOOM_FASHION_DIR", fake.path().toUtf8());
        QCOMPARE(QString::fromStdString(fashionMnistDir()), fake.path());
        DatasetConfig c;  // kind fashion-mnist
        DataSplit s = loadData(c, 0.5, 3);
        QCOMPARE(s.train.count, int64_t(10));
        QCOMPARE(s.validation.count, int64_t(10));
        QCOMPARE(s.test.count, int64_t(20));
        QCOMPARE(s.train.classNames.at(9), std::string("Ankle boot"));
        QCOMPARE(s.test.numClasses, 10);

        qputenv("NETLOOM_FASHION_DIR", m_dir.filePath("absent").toUtf8());
        const QString message = errorOf([&] { loadData(c, 0.0, 1); });
        QVERIFY2(
            message.contains("Fashion-MNIST not found") && message.contains("NETLOOM_FASHION_DIR"),
            qPrintable(message));
        if (hadSaved)
            qputenv("NETLOOM_FASHION_DIR", saved);
        else
            qunsetenv("NETLOOM_FASHION_DIR");
    }

    void realFashionTestSet() {
        const std::string dir = netloom::test::fashionDir();
        Dataset d = loadIdxDataset(dir + "/t10k-images-idx3-ubyte.gz",
                                   dir + "/t10k-labels-idx1-ubyte.gz", 10);
        QCOMPARE(d.count, int64_t(10000));
        QCOMPARE(d.sampleShape, (Shape{1, 28, 28}));
        QCOMPARE(d.pixels.size(), size_t(10000 * 784));
        std::array<int, 10> histogram{};
        for (int32_t label : d.labels) ++histogram[size_t(label)];
        for (int c = 0; c < 10; ++c) QCOMPARE(histogram[size_t(c)], 1000);
        // The fixture is the first 20 test images.
        Dataset tiny = loadIdxDataset(netloom::test::dataFile("tiny-images-idx3-ubyte.gz"),
                                      netloom::test::dataFile("tiny-labels-idx1-ubyte.gz"));
        QVERIFY(std::equal(tiny.pixels.begin(), tiny.pixels.end(), d.pixels.begin()));
    }

    void realFashionThroughLoadData() {
        DatasetConfig c;
        c.scaling = "signed";
        DataSplit s = loadData(c, 0.1, 42);
        QCOMPARE(s.train.count, int64_t(54000));
        QCOMPARE(s.validation.count, int64_t(6000));
        QCOMPARE(s.test.count, int64_t(10000));
        QCOMPARE(s.train.sampleShape, (Shape{1, 28, 28}));
        QCOMPARE(s.train.classNames, fashionClassNames());
        QCOMPARE(s.train.offset, -1.0f);
        Tensor x, y;
        const int64_t first[] = {0};
        s.test.fillBatch(first, 1, x, &y);
        QCOMPARE(y[0], 9.0f);  // the first test image is an ankle boot
        float lo = 1, hi = -1;
        for (int64_t k = 0; k < x.size(); ++k) {
            lo = std::min(lo, x[k]);
            hi = std::max(hi, x[k]);
        }
        QCOMPARE(lo, -1.0f);
        QVERIFY(hi > 0.5f && hi <= 1.0f + 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestIdxReader)
#include "test_idx_reader.moc"
