#include <QtTest>

#include "support/test_support.h"

#include "engine/core/error.h"
#include "engine/metrics/metrics.h"

using namespace netloom::engine;

namespace {

Tensor tensor(std::vector<int64_t> dims, const std::vector<float>& values) {
    Tensor t(std::move(dims));
    for (size_t i = 0; i < values.size(); ++i) t[int64_t(i)] = values[i];
    return t;
}

// Pairs (actual, predicted) of the hand-computed example below, as a batch of one-hot-ish
// scores {N, 4} and labels {N}.
//            predicted 0  1  2  3
//   actual 0          5  2  1  0
//   actual 1          0  3  1  0
//   actual 2          1  0  0  0
//   actual 3          0  0  0  0
const std::vector<std::pair<int, int>> kPairs = {
    {0, 0}, {0, 0}, {0, 1}, {1, 1}, {0, 2}, {2, 0}, {0, 0},  // first batch
    {1, 2}, {0, 1}, {1, 1}, {0, 0}, {1, 1}, {0, 0}};         // second batch

void batchOf(size_t from, size_t to, Tensor& outputs, Tensor& labels) {
    const auto n = int64_t(to - from);
    outputs.resize({n, 4});
    labels.resize({n});
    for (int64_t i = 0; i < n; ++i) {
        auto [actual, predicted] = kPairs[from + size_t(i)];
        for (int c = 0; c < 4; ++c) outputs[i * 4 + c] = c == predicted ? 2.5f : -1.0f + 0.1f * c;
        labels[i] = float(actual);
    }
}

using netloom::test::errorOf;

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void accuracyFromLogits() {
        // Rows: argmax 1, 0, 2, and a tie between 0 and 2 (goes to 0).
        Tensor out = tensor({4, 3}, {0.1f, 0.7f, 0.2f,     //
                                     3.0f, -1.0f, 2.0f,    //
                                     -5.0f, -4.0f, -1.0f,  //
                                     1.0f, 0.0f, 1.0f});
        Tensor labels = tensor({4}, {1, 0, 1, 0});
        QCOMPARE(predictedClass(out, 3), int64_t(0));
        QCOMPARE(countCorrect(out, labels), int64_t(3));
        QCOMPARE(accuracy(out, labels), 0.75);
        Tensor column = tensor({4, 1}, {1, 0, 1, 0});  // labels as {N, 1} work too
        QCOMPARE(accuracy(out, column), 0.75);
    }

    void binarySingleColumn() {
        Tensor logits = tensor({4, 1}, {-2.0f, 0.3f, 1.5f, -0.1f});
        Tensor labels = tensor({4}, {0, 1, 0, 0});
        QCOMPARE(accuracy(logits, labels), 0.75);  // threshold 0 for logits
        Tensor probs = tensor({4, 1}, {0.1f, 0.4f, 0.9f, 0.6f});
        QCOMPARE(accuracy(probs, labels, 0.5f), 0.25);  // correct: row 0 only
    }

    void rejectsBadLabels_data() {
        QTest::addColumn<float>("label");
        QTest::newRow("too large") << 3.0f;
        QTest::newRow("negative") << -1.0f;
        QTest::newRow("fractional") << 1.5f;
        QTest::newRow("nan") << std::nanf("");
    }
    void rejectsBadLabels() {
        QFETCH(float, label);
        Tensor out(std::vector<int64_t>{2, 3});
        out.zero();
        Tensor labels = tensor({2}, {0, label});
        const QString message = errorOf([&] { accuracy(out, labels); });
        QVERIFY2(message.contains("of row 1 is not a class index in 0..2"), qPrintable(message));
        ConfusionMatrix m(3);
        QVERIFY(!errorOf([&] { m.add(out, labels); }).isEmpty());
    }

    void rejectsMismatchedSizes() {
        Tensor out(std::vector<int64_t>{3, 2});
        out.zero();
        QVERIFY(errorOf([&] {
                    accuracy(out, tensor({2}, {0, 1}));
                }).contains("3 outputs but 2 labels"));
        ConfusionMatrix m(3);
        QVERIFY(errorOf([&] { m.add(out, tensor({3}, {0, 1, 0})); }).contains("3 classes"));
        QVERIFY(errorOf([&] { m.add(3, 0); }).contains("actual class 3 is out of range"));
        QVERIFY(errorOf([&] {
                    meanSquaredError(out, tensor({5}, {0, 0, 0, 0, 0}));
                }).contains("6 predictions but 5 targets"));
    }

    void confusionMatrixByHand() {
        ConfusionMatrix m(4);
        Tensor out, labels;
        batchOf(0, 7, out, labels);
        m.add(out, labels);
        batchOf(7, kPairs.size(), out, labels);
        m.add(out, labels);

        const int64_t expected[4][4] = {{5, 2, 1, 0}, {0, 3, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}};
        for (int a = 0; a < 4; ++a)
            for (int p = 0; p < 4; ++p) QCOMPARE(m.count(a, p), expected[a][p]);
        QCOMPARE(m.total(), int64_t(13));
        QCOMPARE(m.actualCount(0), int64_t(8));
        QCOMPARE(m.predictedCount(1), int64_t(5));

        QCOMPARE(m.accuracy(), 8.0 / 13.0);
        QCOMPARE(m.precision(0), 5.0 / 6.0);
        QCOMPARE(m.precision(1), 3.0 / 5.0);
        QCOMPARE(m.precision(2), 0.0);  // predicted twice, never right
        QCOMPARE(m.precision(3), 0.0);  // never predicted: undefined → 0
        QCOMPARE(m.recall(0), 5.0 / 8.0);
        QCOMPARE(m.recall(1), 3.0 / 4.0);
        QCOMPARE(m.recall(2), 0.0);
        QCOMPARE(m.recall(3), 0.0);    // no samples: undefined → 0
        QCOMPARE(m.f1(0), 5.0 / 7.0);  // 2TP / (2TP + FP + FN) = 10 / 14
        QCOMPARE(m.f1(1), 2.0 / 3.0);  // 6 / 9
        QCOMPARE(m.f1(2), 0.0);
        QCOMPARE(m.f1(3), 0.0);
        QCOMPARE(m.macroPrecision(), 43.0 / 120.0);
        QCOMPARE(m.macroRecall(), 11.0 / 32.0);
        QCOMPARE(m.macroF1(), 29.0 / 84.0);
    }

    void mergeAndReset() {
        ConfusionMatrix first(4), second(4), whole(4);
        Tensor out, labels;
        batchOf(0, 7, out, labels);
        first.add(out, labels);
        whole.add(out, labels);
        batchOf(7, kPairs.size(), out, labels);
        second.add(out, labels);
        whole.add(out, labels);
        first.merge(second);
        QCOMPARE(first.counts(), whole.counts());
        QCOMPARE(first.total(), whole.total());
        QCOMPARE(first.macroF1(), whole.macroF1());
        QVERIFY(errorOf([&] { first.merge(ConfusionMatrix(3)); }).contains("cannot merge"));
        first.reset();
        QCOMPARE(first.total(), int64_t(0));
        QCOMPARE(first.accuracy(), 0.0);
        QCOMPARE(first.macroF1(), 0.0);
    }

    void binaryConfusion() {
        ConfusionMatrix m(2);
        m.add(tensor({3, 1}, {0.9f, -0.2f, 0.1f}), tensor({3}, {1, 1, 0}));
        QCOMPARE(m.count(1, 1), int64_t(1));
        QCOMPARE(m.count(1, 0), int64_t(1));
        QCOMPARE(m.count(0, 1), int64_t(1));
    }

    void regressionErrors() {
        Tensor pred = tensor({4, 1}, {1, 2, 3, 4});
        Tensor target = tensor({4, 1}, {1, 0, 3, 8});
        QCOMPARE(meanSquaredError(pred, target), 5.0);   // (0 + 4 + 0 + 16) / 4
        QCOMPARE(meanAbsoluteError(pred, target), 1.5);  // (0 + 2 + 0 + 4) / 4
        Tensor empty(std::vector<int64_t>{0, 1});
        QCOMPARE(meanSquaredError(empty, empty), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
