// The one inference session: chunked eval-mode forward equal to the model's own forward,
// outputs read by task (probabilities for class labels: softmax of logits, or passed through
// when the output layer already gives probabilities), weights swapped without a rebuild, and
// whole-dataset passes that evaluate() builds on.
#include <QtTest>

#include "support/test_support.h"

#include <cmath>
#include <thread>

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/data/batch_source.h"
#include "engine/data/synthetic.h"
#include "engine/infer/inference_session.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/train/evaluator.h"

using namespace netloom::engine;

namespace {

// Input {inputs} -> Dense(hidden) -> ReLU -> Dense(outputs) [-> Softmax].
Graph mlp(int64_t inputs, int64_t outputs, bool softmax) {
    Graph g;
    Node in{"n1", "Input", "in", {}};
    in.params.set("shape", std::to_string(inputs));
    g.addNode(in);
    Node fc1{"n2", "Dense", "fc1", {}};
    fc1.params.set("units", int64_t{16});
    g.addNode(fc1);
    g.addNode({"n3", "ReLU", "relu", {}});
    Node fc2{"n4", "Dense", "fc2", {}};
    fc2.params.set("units", outputs);
    g.addNode(fc2);
    g.connect({"n1", 0, "n2", 0});
    g.connect({"n2", 0, "n3", 0});
    g.connect({"n3", 0, "n4", 0});
    if (softmax) {
        g.addNode({"n5", "Softmax", "probs", {}});
        g.connect({"n4", 0, "n5", 0});
    }
    return g;
}

WeightSet weightsFor(const Graph& g, uint64_t seed) {
    ComputeContext ctx;
    Model m(g, ctx);
    m.initialize(seed, InitScheme::He);
    return m.weights();
}

Tensor inputs(int64_t n, int64_t features) {
    Tensor x({n, features});
    for (int64_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37f * float(i)) * 2.0f;
    return x;
}

// Outputs of the model itself, one forward over the whole batch.
Tensor direct(const Graph& g, const WeightSet& w, const Tensor& x) {
    ComputeContext ctx;
    Model m(g, ctx);
    m.loadWeights(w);
    return m.forward(x, false);
}

void expectClose(const Tensor& a, const Tensor& b, float tol) {
    QCOMPARE(a.dims(), b.dims());
    for (int64_t i = 0; i < a.size(); ++i)
        QVERIFY2(std::abs(a[i] - b[i]) <= tol,
                 qPrintable(QString("at %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
}

using netloom::test::errorOf;

}  // namespace

class TestInferenceSession : public QObject {
    Q_OBJECT
private slots:
    // Chunking (with or without padding the last chunk) does not change the rows.
    void chunksEqualOneForward_data() {
        QTest::addColumn<int>("chunk");
        QTest::addColumn<bool>("pad");
        QTest::newRow("one chunk") << 256 << false;
        QTest::newRow("chunks of 7") << 7 << false;
        QTest::newRow("chunks of 7, padded") << 7 << true;
        QTest::newRow("chunks of 1") << 1 << false;
    }
    void chunksEqualOneForward() {
        QFETCH(int, chunk);
        QFETCH(bool, pad);
        const Graph g = mlp(5, 3, false);
        const WeightSet w = weightsFor(g, 3);
        const Tensor x = inputs(50, 5);
        InferenceOptions o;
        o.chunk = chunk;
        o.padToChunk = pad;
        InferenceSession s(g, w, TargetKind::Regression, o);
        const Tensor expected = direct(g, w, x);
        expectClose(s.forward(x), expected, 1e-6f);
        expectClose(s.predict(x), expected, 1e-6f);  // regression: the values themselves
        QCOMPARE(s.forward(inputs(0, 5)).batch(), int64_t(0));
    }

    void probabilitiesFromLogits() {
        const Graph g = mlp(5, 4, false);
        const WeightSet w = weightsFor(g, 4);
        InferenceSession s(g, w, TargetKind::ClassLabels);
        QVERIFY(!s.outputsAreProbabilities());
        const Tensor x = inputs(20, 5);
        const Tensor logits = s.forward(x);
        const Tensor p = s.predict(x);
        QCOMPARE(p.dims(), (std::vector<int64_t>{20, 4}));
        for (int64_t r = 0; r < 20; ++r) {
            double sum = 0, expSum = 0;
            for (int64_t k = 0; k < 4; ++k) {
                sum += p[r * 4 + k];
                expSum += std::exp(double(logits[r * 4 + k]));
            }
            QVERIFY2(std::abs(sum - 1.0) < 1e-5, qPrintable(QString::number(sum)));
            for (int64_t k = 0; k < 4; ++k)
                QVERIFY(std::abs(p[r * 4 + k] - std::exp(double(logits[r * 4 + k])) / expSum) <
                        1e-5);
        }
        QVERIFY(logits[0] != p[0]);  // softmax was applied
    }

    // A network ending in Softmax already gives probabilities: they are passed through, not
    // squashed by a second softmax.
    void probabilitiesPassedThrough() {
        const Graph g = mlp(5, 4, true);
        const WeightSet w = weightsFor(g, 4);
        InferenceSession s(g, w, TargetKind::ClassLabels);
        QVERIFY(s.outputsAreProbabilities());
        const Tensor x = inputs(20, 5);
        const Tensor raw = s.forward(x);
        const Tensor p = s.probabilities(x);
        for (int64_t i = 0; i < p.size(); ++i) QCOMPARE(p[i], raw[i]);
        for (int64_t r = 0; r < 20; ++r) {
            double sum = 0;
            for (int64_t k = 0; k < 4; ++k) sum += p[r * 4 + k];
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        }
        // The same weights without the Softmax layer: the session applies the softmax itself
        // and reaches the same probabilities.
        InferenceSession logits(mlp(5, 4, false), w, TargetKind::ClassLabels);
        expectClose(logits.predict(x), p, 1e-5f);
    }

    void reconstructionsAreImagesShapedLikeTheInput() {
        Graph g;
        Node in{"n1", "Input", "image", {}};
        in.params.set("shape", std::string("1,4,4"));
        g.addNode(in);
        g.addNode({"n2", "Flatten", "flatten", {}});
        Node fc{"n3", "Dense", "fc", {}};
        fc.params.set("units", int64_t{16});
        g.addNode(fc);
        g.connect({"n1", 0, "n2", 0});
        g.connect({"n2", 0, "n3", 0});
        const WeightSet w = weightsFor(g, 2);
        InferenceSession s(g, w, TargetKind::Reconstruction);
        Tensor x({3, 1, 4, 4});
        for (int64_t i = 0; i < x.size(); ++i) x[i] = float(i % 7) / 7.0f;
        const Tensor raw = s.forward(x);
        QCOMPARE(raw.dims(), (std::vector<int64_t>{3, 16}));
        const Tensor images = s.predict(x);
        QCOMPARE(images.dims(), (std::vector<int64_t>{3, 1, 4, 4}));
        for (int64_t i = 0; i < raw.size(); ++i) QCOMPARE(images[i], raw[i]);
    }

    void setWeightsWithoutRebuild() {
        const Graph g = mlp(5, 3, false);
        const WeightSet a = weightsFor(g, 1), b = weightsFor(g, 2);
        const Tensor x = inputs(9, 5);
        InferenceSession s(g, a, TargetKind::Regression);
        const Tensor before = s.forward(x);
        s.setWeights(b);
        const Tensor after = s.forward(x);
        InferenceSession fresh(g, b, TargetKind::Regression);
        expectClose(after, fresh.forward(x), 0.0f);
        QVERIFY(std::abs(after[0] - before[0]) > 1e-6f);
        WeightSet broken = b;
        broken.erase(broken.begin());
        QVERIFY(!errorOf([&] { s.setWeights(broken); }).isEmpty());
        QVERIFY(!errorOf([&] { InferenceSession(g, broken, TargetKind::Regression); }).isEmpty());
    }

    void refusesWrongInputsAndOtherThreads() {
        const Graph g = mlp(5, 3, false);
        InferenceSession s(g, weightsFor(g, 1), TargetKind::Regression);
        QVERIFY(errorOf([&] { s.forward(inputs(4, 6)); }).contains("expects"));
        QString error;
        std::thread([&] { error = errorOf([&] { s.forward(inputs(4, 5)); }); }).join();
        QVERIFY2(error.contains("another thread"), qPrintable(error));
    }

    // A whole dataset in order and in chunks; evaluate() through a session gives what it gives
    // through the model directly.
    void datasetPassesAndEvaluate() {
        const Dataset data = makeSynthetic("spiral", 203, 0.1, 4);
        const Graph g = mlp(2, data.numClasses, false);
        const WeightSet w = weightsFor(g, 5);
        InferenceOptions o;
        o.chunk = 64;
        InferenceSession s(g, w, TargetKind::ClassLabels, o);
        std::vector<int64_t> seen;
        int64_t chunks = 0;
        s.run(data, true, [&](const Batch& b, const Tensor& out) {
            ++chunks;
            QCOMPARE(out.batch(), b.size());
            QCOMPARE(b.y.batch(), b.size());
            std::vector<int64_t> idx;
            for (int64_t i = 0; i < b.size(); ++i) idx.push_back(int64_t(seen.size()) + i);
            InferenceSession check(g, w, TargetKind::ClassLabels);
            expectClose(out, check.forward(data, idx), 1e-6f);
            seen.insert(seen.end(), idx.begin(), idx.end());
        });
        QCOMPARE(chunks, int64_t(4));
        QCOMPARE(int64_t(seen.size()), data.count);

        auto loss = createLoss("cross_entropy");
        const EvalResult viaSession = evaluate(s, data, *loss);
        ComputeContext ctx;
        Model m(g, ctx);
        m.loadWeights(w);
        const EvalResult viaModel = evaluate(m, data, *loss, TargetKind::ClassLabels, 64);
        QCOMPARE(viaSession.loss, viaModel.loss);
        QCOMPARE(viaSession.accuracy, viaModel.accuracy);
        QCOMPARE(viaSession.confusion, viaModel.confusion);
        QCOMPARE(viaSession.samples, data.count);
        QVERIFY(viaSession.accuracy >= 0.0 && viaSession.accuracy <= 1.0);
    }
};

QTEST_GUILESS_MAIN(TestInferenceSession)
#include "test_inference_session.moc"
