#include <QtTest>
#include <algorithm>
#include <numeric>
#include <set>

#include "engine/core/error.h"
#include "engine/data/batcher.h"
#include "engine/data/synthetic.h"

using namespace netloom::engine;

namespace {

std::vector<int64_t> flatten(const Batcher& b) {
    std::vector<int64_t> all;
    for (int64_t i = 0; i < b.batchCount(); ++i) {
        auto batch = b.batch(i);
        all.insert(all.end(), batch.begin(), batch.end());
    }
    return all;
}

// A small uint8 image set {1, 3, 3} with labels 0..4.
Dataset imageSet(int64_t count) {
    Dataset d;
    d.name = "images";
    d.sampleShape = Shape{1, 3, 3};
    d.count = count;
    for (int64_t i = 0; i < count * 9; ++i) d.pixels.push_back(uint8_t((i * 31 + 7) % 256));
    for (int64_t i = 0; i < count; ++i) d.labels.push_back(int32_t(i % 5));
    d.numClasses = 5;
    return d;
}

bool sameTensor(const Tensor& a, const Tensor& b) {
    return a.dims() == b.dims() && std::equal(a.data(), a.data() + a.size(), b.data());
}

}  // namespace

class TestBatcher : public QObject {
    Q_OBJECT
private slots:
    void everyIndexOncePerEpoch() {
        Batcher b(103, 10, true, false, 1);
        QCOMPARE(b.batchCount(), int64_t(11));
        QCOMPARE(b.batch(10).size(), size_t(3));
        for (int64_t epoch = 0; epoch < 3; ++epoch) {
            b.beginEpoch(epoch);
            std::vector<int64_t> all = flatten(b);
            QCOMPARE(all.size(), size_t(103));
            std::sort(all.begin(), all.end());
            for (int64_t i = 0; i < 103; ++i) QCOMPARE(all[size_t(i)], i);
        }
    }

    void dropLast_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("batchSize");
        QTest::addColumn<bool>("dropLast");
        QTest::addColumn<int>("batches");
        QTest::addColumn<int>("lastSize");
        QTest::newRow("drop partial") << 103 << 10 << true << 10 << 10;
        QTest::newRow("keep partial") << 103 << 10 << false << 11 << 3;
        QTest::newRow("exact drop") << 100 << 10 << true << 10 << 10;
        QTest::newRow("exact keep") << 100 << 10 << false << 10 << 10;
        QTest::newRow("smaller than a batch, drop") << 7 << 10 << true << 0 << 0;
        QTest::newRow("smaller than a batch, keep") << 7 << 10 << false << 1 << 7;
        QTest::newRow("empty") << 0 << 4 << false << 0 << 0;
    }
    void dropLast() {
        QFETCH(int, count);
        QFETCH(int, batchSize);
        QFETCH(bool, dropLast);
        QFETCH(int, batches);
        QFETCH(int, lastSize);
        Batcher b(count, batchSize, true, dropLast, 3);
        QCOMPARE(b.batchCount(), int64_t(batches));
        if (batches > 0) QCOMPARE(b.batch(batches - 1).size(), size_t(lastSize));
        std::vector<int64_t> all = flatten(b);
        QCOMPARE(std::set<int64_t>(all.begin(), all.end()).size(), all.size());  // no repeats
        QVERIFY(!errorOf([&] { b.batch(batches); }).isEmpty());
    }

    void seededOrders() {
        Batcher a(1000, 32, true, true, 42), b(1000, 32, true, true, 42),
            c(1000, 32, true, true, 43);
        QCOMPARE(a.order(), b.order());
        QVERIFY(a.order() != c.order());
        std::vector<int64_t> identity(1000);
        std::iota(identity.begin(), identity.end(), 0);
        QVERIFY(a.order() != identity);

        const std::vector<int64_t> epoch0 = a.order();
        a.beginEpoch(1);
        const std::vector<int64_t> epoch1 = a.order();
        QVERIFY(epoch1 != epoch0);
        a.beginEpoch(2);
        QVERIFY(a.order() != epoch1);
        // The order is a function of (seed, epoch): epochs can be replayed in any sequence.
        b.beginEpoch(1);
        QCOMPARE(b.order(), epoch1);
        a.beginEpoch(0);
        QCOMPARE(a.order(), epoch0);
    }

    void evaluationIsSequential() {
        Batcher e = Batcher::evaluation(25, 10);
        QCOMPARE(e.batchCount(), int64_t(3));
        std::vector<int64_t> all = flatten(e);
        for (int64_t i = 0; i < 25; ++i) QCOMPARE(all[size_t(i)], i);
        e.beginEpoch(5);
        QCOMPARE(flatten(e), all);
        Batcher t = Batcher::training(25, 10, 1);
        QCOMPARE(t.batchCount(), int64_t(2));
    }

    void rejectsBadSizes() {
        QVERIFY(
            errorOf([] { Batcher(10, 0, true, true); }).contains("batch size must be at least 1"));
        QVERIFY(!errorOf([] { Batcher(-1, 4, true, true); }).isEmpty());
    }

    void prefetcherMatchesDirectFilling_data() {
        QTest::addColumn<bool>("images");
        QTest::addColumn<bool>("dropLast");
        QTest::newRow("features, drop last") << false << true;
        QTest::newRow("features, keep last") << false << false;
        QTest::newRow("images, drop last") << true << true;
        QTest::newRow("images, keep last") << true << false;
    }
    void prefetcherMatchesDirectFilling() {
        QFETCH(bool, images);
        QFETCH(bool, dropLast);
        const Dataset data = images ? imageSet(257) : makeSynthetic("spiral", 257, 0.1, 2);
        Batcher batcher(data.count, 32, true, dropLast, 11);
        BatchPrefetcher prefetcher(data);
        Tensor x, y;
        for (int64_t epoch = 0; epoch < 3; ++epoch) {
            batcher.beginEpoch(epoch);
            prefetcher.start(batcher);
            const Tensor *px = nullptr, *py = nullptr;
            int64_t b = 0;
            while (prefetcher.next(px, py)) {
                QVERIFY(b < batcher.batchCount());
                auto indices = batcher.batch(b);
                data.fillBatch(indices.data(), int64_t(indices.size()), x, &y);
                QVERIFY2(sameTensor(*px, x), qPrintable(QString("x of batch %1").arg(b)));
                QVERIFY2(sameTensor(*py, y), qPrintable(QString("y of batch %1").arg(b)));
                ++b;
            }
            QCOMPARE(b, batcher.batchCount());
            QVERIFY(!prefetcher.next(px, py));  // stays at the end
        }
    }

    void prefetcherRestartsMidEpoch() {
        const Dataset data = imageSet(100);
        Batcher batcher = Batcher::training(100, 8, 5);
        BatchPrefetcher prefetcher(data, false);
        const Tensor *px = nullptr, *py = nullptr;
        prefetcher.start(batcher);
        QVERIFY(prefetcher.next(px, py));
        QVERIFY(prefetcher.next(px, py));
        QVERIFY(py == nullptr);  // no targets asked for
        // Abandon epoch 0 after two batches: epoch 1 starts from its first batch.
        batcher.beginEpoch(1);
        prefetcher.start(batcher);
        Tensor x;
        for (int64_t b = 0; b < batcher.batchCount(); ++b) {
            QVERIFY(prefetcher.next(px, py));
            auto indices = batcher.batch(b);
            data.fillBatch(indices.data(), int64_t(indices.size()), x, nullptr);
            QVERIFY(sameTensor(*px, x));
        }
        QVERIFY(!prefetcher.next(px, py));
        // Destroyed with a batch prepared and none taken: must join cleanly.
        BatchPrefetcher idle(data);
        idle.start(batcher);
    }

    void prefetcherRethrowsFillErrors() {
        Dataset unlabelled = imageSet(20);
        unlabelled.labels.clear();
        unlabelled.numClasses = 0;  // neither labels nor targets
        Batcher batcher = Batcher::evaluation(20, 8);
        BatchPrefetcher prefetcher(unlabelled, true);
        prefetcher.start(batcher);
        const Tensor *px = nullptr, *py = nullptr;
        QVERIFY(
            errorOf([&] { prefetcher.next(px, py); }).contains("neither class labels nor targets"));
        // The next batch fails the same way, and the prefetcher can still be restarted.
        QVERIFY(!errorOf([&] { prefetcher.next(px, py); }).isEmpty());
        prefetcher.start(batcher);
    }

private:
    template <typename F>
    static QString errorOf(F f) {
        try {
            f();
        } catch (const netloom::Error& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }
};

QTEST_GUILESS_MAIN(TestBatcher)
#include "test_batcher.moc"
