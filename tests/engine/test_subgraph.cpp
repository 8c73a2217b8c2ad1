// Splitting a network at a node (engine/graph/subgraph.h): decoder(encoder(x)) equals the whole
// network's output, the code layer of the sample autoencoders is found, and splits that cannot
// work (unknown node, the output, a skip connection around the node) fail with a clear error.
#include <QtTest>

#include <random>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/graph/subgraph.h"
#include "engine/io/project_io.h"
#include "engine/model/model.h"
#include "engine/project/project.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::test::sampleFile;

namespace {

Tensor randomBatch(const Shape& sample, int64_t n, uint64_t seed) {
    std::vector<int64_t> dims{n};
    dims.insert(dims.end(), sample.dims.begin(), sample.dims.end());
    Tensor t(dims);
    Rng rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int64_t i = 0; i < t.size(); ++i) t[i] = u(rng.generator());
    return t;
}

Params units(int64_t n) {
    Params p;
    p.set("units", n);
    return p;
}

}  // namespace

class TestSubgraph : public QObject {
    Q_OBJECT
private slots:
    void splitHalvesComposeToTheWholeNetwork_data() {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QString>("node");  // empty: the code node findCodeNode picks
        QTest::addColumn<QString>("expectedCode");
        QTest::newRow("dense AE at its code") << "fashion-autoencoder.netloom"
                                              << ""
                                              << "n5";
        QTest::newRow("dense AE after the code's ReLU") << "fashion-autoencoder.netloom"
                                                        << "n6"
                                                        << "n5";
        QTest::newRow("dense AE after the first layer") << "fashion-autoencoder.netloom"
                                                        << "n3"
                                                        << "n5";
        QTest::newRow("conv AE at its code") << "fashion-conv-autoencoder.netloom"
                                             << ""
                                             << "n7";
        QTest::newRow("conv AE inside the convolutions") << "fashion-conv-autoencoder.netloom"
                                                         << "n4"
                                                         << "n7";
    }
    void splitHalvesComposeToTheWholeNetwork() {
        QFETCH(QString, sample);
        QFETCH(QString, node);
        QFETCH(QString, expectedCode);
        const Project p = loadProject(sampleFile(sample.toStdString()));
        const Graph& g = p.model().graph;
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY(a.ok());
        QCOMPARE(QString::fromStdString(findCodeNode(a)), expectedCode);
        const std::string split = node.isEmpty() ? findCodeNode(a) : node.toStdString();

        ComputeContext ctx;
        Model whole(g, ctx);
        whole.initialize(7, InitScheme::Default);
        const WeightSet weights = whole.weights();
        const Tensor x = randomBatch(whole.inputShape(), 5, 11);
        const Tensor expected = whole.forward(x, false);

        const Graph encoderGraph = upstreamGraph(g, split);
        const Graph decoderGraph = downstreamGraph(g, split, a.nodes.at(split).output);
        QVERIFY(analyzeGraph(encoderGraph).ok());
        QVERIFY2(analyzeGraph(decoderGraph).ok(),
                 analyzeGraph(decoderGraph).firstProblem().c_str());
        // Every node lands in exactly one half, except the split node (the decoder's input).
        QCOMPARE(encoderGraph.nodes().size() + decoderGraph.nodes().size(), g.nodes().size() + 1);

        Model encoder(encoderGraph, ctx);
        Model decoder(decoderGraph, ctx);
        encoder.loadWeights(weights);  // the whole network's weights, by node id
        decoder.loadWeights(weights);
        QCOMPARE(encoder.outputShape(), a.nodes.at(split).output);
        QCOMPARE(decoder.inputShape(), a.nodes.at(split).output);
        const Tensor code = encoder.forward(x, false);
        const Tensor out = decoder.forward(code, false);
        QCOMPARE(out.size(), expected.size());
        for (int64_t i = 0; i < out.size(); ++i)
            QVERIFY2(std::abs(out[i] - expected[i]) <= 1e-5f,
                     qPrintable(QString("value %1: %2 vs %3").arg(i).arg(out[i]).arg(expected[i])));
    }

    void badSplitsAreRefused_data() {
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << "n99"
                                 << "n99";
        QTest::newRow("the output") << "n4"
                                    << "nothing runs after it";
        QTest::newRow("skip connection around it") << "n2"
                                                   << "also takes input from 'in'";
    }
    void badSplitsAreRefused() {
        QFETCH(QString, node);
        QFETCH(QString, message);
        // in → fc1 → fc2 → add(in, fc2): a residual block, n2 is bypassed.
        Graph g;
        Params in;
        in.set("shape", std::string("4"));
        g.addNode(Node{"n1", "Input", "in", in});
        g.addNode(Node{"n2", "Dense", "fc1", units(4)});
        g.addNode(Node{"n3", "Dense", "fc2", units(4)});
        g.addNode(Node{"n4", "Add", "add", {}});
        g.connect({"n1", 0, "n2", 0});
        g.connect({"n2", 0, "n3", 0});
        g.connect({"n3", 0, "n4", 0});
        g.connect({"n1", 0, "n4", 1});
        QVERIFY(analyzeGraph(g).ok());
        try {
            downstreamGraph(g, node.toStdString(), Shape{4});
            QFAIL("no error");
        } catch (const netloom::Error& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
        // The upstream half always works for a known node.
        if (node != "n99") QVERIFY(analyzeGraph(upstreamGraph(g, node.toStdString())).ok());
    }

    void noCodeNodeInAnInvalidOrTwoNodeGraph() {
        Graph g;
        Params in;
        in.set("shape", std::string("4"));
        g.addNode(Node{"n1", "Input", "in", in});
        g.addNode(Node{"n2", "Dense", "fc", units(4)});
        g.connect({"n1", 0, "n2", 0});
        QCOMPARE(findCodeNode(analyzeGraph(g)), std::string());
        g.addNode(Node{"n3", "Dense", "loose", units(4)});  // two outputs: invalid
        QCOMPARE(findCodeNode(analyzeGraph(g)), std::string());
    }
};

QTEST_GUILESS_MAIN(TestSubgraph)
#include "test_subgraph.moc"
