// The data pipeline: batches of a dataset in a given order, converted per storage (uint8 images,
// float features, int32 token sequences), passed through the training transforms, prepared
// ahead on a helper thread with the same values a synchronous source gives.
#include <QtTest>

#include <algorithm>
#include <numeric>
#include <set>
#include "support/test_support.h"

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/batch_source.h"
#include "engine/data/synthetic.h"
#include "engine/data/transforms/input_noise.h"
#include "engine/data/transforms/registry.h"

using namespace netloom::engine;

namespace {

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

// Sequences of 4 token ids from a vocabulary of 50, labelled 0..2.
Dataset tokenSet(int64_t count) {
    Dataset d;
    d.name = "tokens";
    d.sampleShape = Shape{4};
    d.count = count;
    d.vocabularySize = 50;
    for (int64_t i = 0; i < count * 4; ++i) d.tokens.push_back(int32_t((i * 7 + 3) % 50));
    for (int64_t i = 0; i < count; ++i) d.labels.push_back(int32_t(i % 3));
    d.numClasses = 3;
    return d;
}

bool sameTensor(const Tensor& a, const Tensor& b) {
    return a.dims() == b.dims() && std::equal(a.data(), a.data() + a.size(), b.data());
}

using netloom::test::errorOf;

// Every batch of one epoch, copied.
std::vector<Batch> drain(BatchSource& source, const std::vector<int64_t>& order) {
    source.start(order);
    std::vector<Batch> out;
    while (const Batch* b = source.next()) out.push_back(*b);
    return out;
}

TransformChain noiseChain(double stddev, uint64_t seed) {
    return TransformChain({{"input_noise", {{"stddev", stddev}}}}, seed);
}

}  // namespace

class TestBatchSource : public QObject {
    Q_OBJECT
private slots:
    void batchCounts_data() {
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
    void batchCounts() {
        QFETCH(int, count);
        QFETCH(int, batchSize);
        QFETCH(bool, dropLast);
        QFETCH(int, batches);
        QFETCH(int, lastSize);
        const Dataset data = imageSet(std::max(count, 1));
        BatchSourceOptions o;
        o.dropLast = dropLast;
        BatchSource source(data, batchSize, {}, o);
        EpochOrder order(count, 3);
        const std::vector<Batch> all = drain(source, order.next());
        QCOMPARE(source.batchCount(), int64_t(batches));
        QCOMPARE(int(all.size()), batches);
        if (batches > 0) QCOMPARE(all.back().size(), int64_t(lastSize));
        for (size_t b = 0; b < all.size(); ++b) QCOMPARE(all[b].index, int64_t(b));
    }

    // The trainer's order: every index once per epoch, reshuffled each epoch, seeded.
    void epochOrderIsASeededPermutation() {
        EpochOrder a(1000, 42), b(1000, 42), c(1000, 43);
        const std::vector<int64_t> a1 = a.next(), a2 = a.next();
        QCOMPARE(b.next(), a1);
        QCOMPARE(b.next(), a2);
        QVERIFY(c.next() != a1);
        QVERIFY(a2 != a1);
        QCOMPARE(a.current(), a2);
        std::vector<int64_t> sorted = a2;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, sequentialOrder(1000));
        QVERIFY(a1 != sequentialOrder(1000));
        // The same generator the trainer drew from before the pipeline: runs replay.
        std::vector<int64_t> old = sequentialOrder(1000);
        Rng rng(42);
        std::shuffle(old.begin(), old.end(), rng.generator());
        QCOMPARE(old, a1);
    }

    void rejectsBadSizes() {
        const Dataset data = imageSet(4);
        QVERIFY(errorOf([&] { BatchSource(data, 0); }).contains("batch size must be at least 1"));
        QVERIFY(!errorOf([] { EpochOrder(-1, 1); }).isEmpty());
    }

    void prefetchingEqualsSynchronous_data() {
        QTest::addColumn<QString>("storage");
        QTest::addColumn<bool>("dropLast");
        QTest::addColumn<double>("noise");
        for (const char* s : {"features", "images", "tokens"})
            for (bool drop : {true, false})
                for (double n : {0.0, 0.2})
                    QTest::newRow(qPrintable(QString("%1, %2, noise %3")
                                                 .arg(s, drop ? "drop last" : "keep last")
                                                 .arg(n)))
                        << QString(s) << drop << n;
    }
    void prefetchingEqualsSynchronous() {
        QFETCH(QString, storage);
        QFETCH(bool, dropLast);
        QFETCH(double, noise);
        const Dataset data = storage == "images"   ? imageSet(257)
                             : storage == "tokens" ? tokenSet(257)
                                                   : makeSynthetic("spiral", 257, 0.1, 2);
        BatchSourceOptions sync, ahead;
        sync.dropLast = ahead.dropLast = dropLast;
        sync.prefetch = false;
        BatchSource a(data, 32, noise > 0 ? noiseChain(noise, 5) : TransformChain{}, ahead);
        BatchSource s(data, 32, noise > 0 ? noiseChain(noise, 5) : TransformChain{}, sync);
        EpochOrder order(data.count, 11);
        Tensor x, y;
        for (int epoch = 0; epoch < 3; ++epoch) {
            const std::vector<int64_t>& o = order.next();
            const std::vector<Batch> fromA = drain(a, o), fromS = drain(s, o);
            QCOMPARE(fromA.size(), fromS.size());
            for (size_t b = 0; b < fromA.size(); ++b) {
                QVERIFY2(sameTensor(fromA[b].x, fromS[b].x), qPrintable(QString::number(b)));
                QVERIFY(sameTensor(fromA[b].y, fromS[b].y));
                QVERIFY(sameTensor(fromA[b].input(), fromS[b].input()));
                // And both equal a direct fill of the same indices.
                data.fillBatch(o.data() + b * 32, fromA[b].size(), x, &y);
                QVERIFY(sameTensor(fromA[b].x, x));
                QVERIFY(sameTensor(fromA[b].y, y));
                QCOMPARE(fromA[b].hasTransformed, noise > 0);
                if (noise > 0) QVERIFY(!sameTensor(fromA[b].input(), x));
            }
            QVERIFY(!a.next());  // stays at the end
        }
    }

    void restartsMidEpoch() {
        const Dataset data = imageSet(100);
        BatchSourceOptions o;
        o.withTargets = false;
        BatchSource source(data, 8, {}, o);
        EpochOrder order(100, 5);
        source.start(order.next());
        QVERIFY(source.next());
        const Batch* b = source.next();
        QVERIFY(b && b->y.size() == 0);  // no targets asked for
        // Abandon the epoch after two batches: the next one starts from its first batch.
        const std::vector<int64_t>& o2 = order.next();
        source.start(o2);
        Tensor x;
        for (int64_t k = 0; k < source.batchCount(); ++k) {
            const Batch* got = source.next();
            QVERIFY(got);
            data.fillBatch(o2.data() + k * 8, 8, x, nullptr);
            QVERIFY(sameTensor(got->x, x));
        }
        QVERIFY(!source.next());
        // Destroyed with a batch prepared and none taken: must join cleanly.
        BatchSource idle(data, 8);
        idle.start(o2);
    }

    void rethrowsFillErrors() {
        Dataset unlabelled = imageSet(20);
        unlabelled.labels.clear();
        unlabelled.numClasses = 0;  // neither labels nor targets
        BatchSourceOptions o;
        o.dropLast = false;
        BatchSource source(unlabelled, 8, {}, o);
        source.start(sequentialOrder(20));
        QVERIFY(errorOf([&] { source.next(); }).contains("neither class labels nor targets"));
        QVERIFY(!errorOf([&] { source.next(); }).isEmpty());
        source.start(sequentialOrder(20));  // can still be restarted
    }

    // Token sequences become {n, T} float ids, in the order asked for.
    void tokensConvertToIdTensors() {
        const Dataset data = tokenSet(10);
        QCOMPARE(data.storage(), SampleStorage::Tokens);
        QVERIFY(!data.isImage());
        const std::vector<int64_t> idx = {3, 0, 9};
        Tensor x, y;
        data.fillBatch(idx.data(), 3, x, &y);
        QCOMPARE(x.dims(), (std::vector<int64_t>{3, 4}));
        for (int64_t r = 0; r < 3; ++r) {
            for (int64_t t = 0; t < 4; ++t)
                QCOMPARE(x[r * 4 + t], float(((idx[r] * 4 + t) * 7 + 3) % 50));
            QCOMPARE(y[r], float(idx[r] % 3));
        }
        const Dataset sub = data.subset({9, 3});
        QCOMPARE(sub.count, int64_t(2));
        QCOMPARE(sub.vocabularySize, int64_t(50));
        QCOMPARE(sub.tokens.size(), size_t(8));
        QCOMPARE(sub.tokens[0], data.tokens[36]);
        QCOMPARE(sub.tokens[4], data.tokens[12]);
        Dataset broken = data;
        broken.tokens.resize(20);
        QVERIFY(errorOf([&] { broken.fillBatch(idx.data(), 3, x, &y); }).contains("inconsistent"));
    }

    // The noise transform through the registry draws exactly what InputNoise draws with the
    // run seed mixed with its salt (the trainer's noise before the pipeline).
    void noiseTransformIsTheOldNoise() {
        const Dataset data = imageSet(64);
        BatchSource source(data, 16, noiseChain(0.3, 7));
        InputNoise direct(TargetKind::Reconstruction, 0.3, Rng::mix(7 ^ kInputNoiseSalt));
        source.start(sequentialOrder(64));
        while (const Batch* b = source.next()) {
            const Tensor& expected = direct.apply(b->x);
            QVERIFY(sameTensor(b->input(), expected));
            QVERIFY(!sameTensor(b->input(), b->x));
        }
    }

    void transformRegistryChecksParameters() {
        QVERIFY(findTransform("input_noise"));
        QVERIFY(errorOf([] { createTransform({"blur", {}}, 1); }).contains("choose input_noise"));
        QVERIFY(errorOf([] {
                    createTransform({"input_noise", {{"sigma", 0.1}}}, 1);
                }).contains("no parameter 'sigma'"));
        QVERIFY(errorOf([] {
                    createTransform({"input_noise", {{"stddev", 1.5}}}, 1);
                }).contains("input noise: stddev must be between 0 and 1, got 1.5"));
        // The default (0) is off: the batch is left alone.
        auto off = createTransform({"input_noise", {}}, 1);
        Tensor x({2, 3});
        x.fill(0.5f);
        off->transform(x);
        for (int64_t i = 0; i < x.size(); ++i) QCOMPARE(x[i], 0.5f);
    }
};

QTEST_GUILESS_MAIN(TestBatchSource)
#include "test_batch_source.moc"
