// Graph validation and shape inference: the reference networks analyse to the right shapes and
// parameter counts, and broken graphs are rejected with a message that names the node and says
// what to do.
#include <QtTest>
#include <functional>
#include <map>
#include <utility>

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"

using namespace netloom::engine;

namespace {

using ParamList = std::initializer_list<std::pair<const char*, ParamValue>>;

// Builds graphs by node name (the name doubles as the id).
class Builder {
public:
    Builder& node(const std::string& name, const std::string& type, ParamList params = {}) {
        Node n;
        n.id = name;
        n.name = name;
        n.type = type;
        for (const auto& [key, value] : params) n.params.set(key, value);
        m_graph.addNode(n);
        return *this;
    }
    // Connects `from` to input `port` of `to`.
    Builder& edge(const std::string& from, const std::string& to, int port = 0) {
        m_graph.connect(Edge{from, 0, to, port});
        return *this;
    }
    const Graph& graph() const { return m_graph; }

private:
    Graph m_graph;
};

Params params(ParamList list) {
    Params p;
    for (const auto& [key, value] : list) p.set(key, value);
    return p;
}

std::string imageInput(Builder& b) {
    b.node("in", "Input", {{"shape", std::string("1,28,28")}});
    return "in";
}

// fashion-mlp from REFERENCE.md.
Graph fashionMlp() {
    Builder b;
    imageInput(b);
    b.node("flat", "Flatten")
        .node("fc1", "Dense", {{"units", int64_t{256}}})
        .node("relu1", "ReLU")
        .node("fc2", "Dense", {{"units", int64_t{128}}})
        .node("relu2", "ReLU")
        .node("out", "Dense", {{"units", int64_t{10}}});
    const char* order[] = {"in", "flat", "fc1", "relu1", "fc2", "relu2", "out"};
    for (size_t i = 1; i < std::size(order); ++i) b.edge(order[i - 1], order[i]);
    return b.graph();
}

// fashion-cnn from REFERENCE.md.
Graph fashionCnn() {
    Builder b;
    imageInput(b);
    b.node("conv1", "Conv2D", {{"filters", int64_t{32}}, {"kernel", int64_t{3}}})
        .node("relu1", "ReLU")
        .node("pool1", "MaxPool2D", {{"pool_size", int64_t{2}}})
        .node("conv2", "Conv2D", {{"filters", int64_t{64}}, {"kernel", int64_t{3}}})
        .node("relu2", "ReLU")
        .node("pool2", "MaxPool2D", {{"pool_size", int64_t{2}}})
        .node("flat", "Flatten")
        .node("fc1", "Dense", {{"units", int64_t{128}}})
        .node("relu3", "ReLU")
        .node("out", "Dense", {{"units", int64_t{10}}});
    const char* order[] = {"in",    "conv1", "relu1", "pool1", "conv2", "relu2",
                           "pool2", "flat",  "fc1",   "relu3", "out"};
    for (size_t i = 1; i < std::size(order); ++i) b.edge(order[i - 1], order[i]);
    return b.graph();
}

// Broken graphs, by row name of rejectsBadGraphs.
std::map<QString, std::function<Graph()>> badGraphs() {
    std::map<QString, std::function<Graph()>> m;
    m["dense after conv"] = [] {
        Builder b;
        imageInput(b);
        b.node("conv", "Conv2D", {{"filters", int64_t{8}}}).node("fc", "Dense");
        b.edge("in", "conv").edge("conv", "fc");
        return b.graph();
    };
    m["cycle"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("sum", "Add")
            .node("act", "ReLU")
            .node("out", "Dense", {{"units", int64_t{2}}});
        b.edge("in", "sum", 0).edge("sum", "act").edge("act", "sum", 1).edge("act", "out");
        return b.graph();
    };
    m["dangling input port"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("fc", "Dense", {{"units", int64_t{4}}})
            .node("loose", "Dense", {{"units", int64_t{4}}})
            .node("sum", "Add");
        b.edge("in", "fc").edge("fc", "sum", 0).edge("loose", "sum", 1);
        return b.graph();
    };
    m["half-connected add"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}}).node("sum", "Add");
        b.edge("in", "sum", 0);
        return b.graph();
    };
    m["unused input"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("in2", "Input", {{"shape", std::string("8")}})
            .node("fc", "Dense");
        b.edge("in", "fc");
        return b.graph();
    };
    m["two outputs"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("head_a", "Dense", {{"units", int64_t{2}}})
            .node("head_b", "Dense", {{"units", int64_t{3}}});
        b.edge("in", "head_a").edge("in", "head_b");
        return b.graph();
    };
    m["no input"] = [] {
        Builder b;
        b.node("fc", "Dense");
        return b.graph();
    };
    m["only input"] = [] {
        Builder b;
        imageInput(b);
        return b.graph();
    };
    m["empty"] = [] { return Graph(); };
    m["unknown type"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}}).node("mystery", "Frobnicate");
        b.edge("in", "mystery");
        return b.graph();
    };
    m["units out of range"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("fc", "Dense", {{"units", int64_t{0}}});
        b.edge("in", "fc");
        return b.graph();
    };
    m["wrong parameter type"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("fc", "Dense", {{"units", std::string("many")}});
        b.edge("in", "fc");
        return b.graph();
    };
    m["unknown parameter"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}})
            .node("fc", "Dense", {{"neurons", int64_t{3}}});
        b.edge("in", "fc");
        return b.graph();
    };
    m["bad input shape"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("1,0,28")}}).node("fc", "Dense");
        b.edge("in", "fc");
        return b.graph();
    };
    m["add mismatched shapes"] = [] {
        Builder b;
        imageInput(b);
        b.node("a", "Conv2D", {{"filters", int64_t{32}}})
            .node("b", "Conv2D", {{"filters", int64_t{64}}})
            .node("sum", "Add");
        b.edge("in", "a").edge("in", "b").edge("a", "sum", 0).edge("b", "sum", 1);
        return b.graph();
    };
    m["concat mismatched sizes"] = [] {
        Builder b;
        imageInput(b);
        b.node("a", "Conv2D", {{"filters", int64_t{4}}})
            .node("b", "MaxPool2D")
            .node("cat", "Concat");
        b.edge("in", "a").edge("in", "b").edge("a", "cat", 0).edge("b", "cat", 1);
        return b.graph();
    };
    m["reshape wrong count"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("784")}})
            .node("img", "Reshape", {{"shape", std::string("1,28,29")}});
        b.edge("in", "img");
        return b.graph();
    };
    m["port out of range"] = [] {
        Builder b;
        b.node("in", "Input", {{"shape", std::string("8")}}).node("fc", "Dense");
        b.edge("in", "fc", 1);
        return b.graph();
    };
    m["duplicate names"] = [] {
        Graph g;
        g.addNode(Node{"n1", "Input", "x", params({{"shape", std::string("8")}})});
        g.addNode(Node{"n2", "Dense", "x", {}});
        g.connect(Edge{"n1", 0, "n2", 0});
        return g;
    };
    return m;
}

const NodeAnalysis& nodeOf(const GraphAnalysis& a, const std::string& id) {
    auto it = a.nodes.find(id);
    if (it == a.nodes.end()) throw std::runtime_error("no analysis for node " + id);
    return it->second;
}

QString allProblems(const GraphAnalysis& a) {
    QStringList list;
    for (const Problem& p : a.problems)
        list << QString::fromStdString((p.nodeId.empty() ? "" : p.nodeId + ": ") + p.message);
    return list.join(" | ");
}

}  // namespace

class TestGraphAnalysis : public QObject {
    Q_OBJECT
private slots:
    void acceptsReferenceNetworks_data() {
        QTest::addColumn<QString>("network");
        QTest::addColumn<QStringList>("shapes");  // "node=shape" for each node
        QTest::addColumn<qlonglong>("parameters");
        QTest::newRow("fashion-mlp")
            << "mlp" << QStringList{"in=1x28x28", "flat=784",  "fc1=256", "relu1=256",
                                    "fc2=128",    "relu2=128", "out=10"}
            << qlonglong{235146};
        QTest::newRow("fashion-cnn")
            << "cnn"
            << QStringList{"in=1x28x28",     "conv1=32x28x28", "relu1=32x28x28", "pool1=32x14x14",
                           "conv2=64x14x14", "relu2=64x14x14", "pool2=64x7x7",   "flat=3136",
                           "fc1=128",        "relu3=128",      "out=10"}
            << qlonglong{421642};
    }
    void acceptsReferenceNetworks() {
        QFETCH(QString, network);
        QFETCH(QStringList, shapes);
        QFETCH(qlonglong, parameters);
        const Graph g = network == "mlp" ? fashionMlp() : fashionCnn();
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY2(a.ok(), qPrintable(allProblems(a)));
        QCOMPARE(a.inputNode, std::string("in"));
        QCOMPARE(a.outputNode, std::string("out"));
        QCOMPARE(a.order.size(), g.nodes().size());
        QCOMPARE(a.order.front(), std::string("in"));
        QCOMPARE(a.order.back(), std::string("out"));
        for (const QString& item : shapes) {
            const std::string id = item.section('=', 0, 0).toStdString();
            const NodeAnalysis& na = nodeOf(a, id);
            QVERIFY2(na.ok, qPrintable(item));
            QVERIFY2(na.error.empty(), na.error.c_str());
            QCOMPARE(QString::fromStdString(na.output.toAsciiString()), item.section('=', 1));
        }
        QCOMPARE(a.totalParameters, static_cast<int64_t>(parameters));
        int64_t sum = 0, flops = 0;
        for (const auto& [id, na] : a.nodes) {
            sum += na.parameters;
            flops += na.flops;
        }
        QCOMPARE(sum, a.totalParameters);
        QCOMPARE(flops, a.totalFlops);
        QVERIFY(a.totalFlops > 2 * parameters - 1000);  // at least one multiply-add per weight
    }

    void countsParametersPerNode() {
        const GraphAnalysis a = analyzeGraph(fashionCnn());
        QVERIFY2(a.ok(), qPrintable(allProblems(a)));
        QCOMPARE(nodeOf(a, "conv1").parameters, int64_t{32 * 9 + 32});
        QCOMPARE(nodeOf(a, "conv2").parameters, int64_t{64 * 32 * 9 + 64});
        QCOMPARE(nodeOf(a, "fc1").parameters, int64_t{3136 * 128 + 128});
        QCOMPARE(nodeOf(a, "pool1").parameters, int64_t{0});
        QCOMPARE(nodeOf(a, "out").inputs, std::vector<Shape>{Shape{128}});
        // Normalized parameters carry the defaults the graph left out.
        QCOMPARE(nodeOf(a, "conv1").params.getString("padding"), std::string("same"));
        QCOMPARE(nodeOf(a, "fc1").params.getBool("use_bias"), true);
    }

    void rejectsBadGraphs_data() {
        QTest::addColumn<QString>("graph");
        QTest::addColumn<QString>("node");     // id of the node blamed; empty: graph-level
        QTest::addColumn<QString>("message");  // must occur in that problem's message
        QTest::newRow("dense after conv") << "dense after conv"
                                          << "fc"
                                          << "'fc': expects a flat input, got 8×28×28: insert "
                                             "Flatten";
        QTest::newRow("cycle (graph)") << "cycle"
                                       << ""
                                       << "cycle through 'sum', 'act': remove one";
        QTest::newRow("cycle (node)") << "cycle"
                                      << "act"
                                      << "'act' is part of a cycle";
        QTest::newRow("dangling input port") << "dangling input port"
                                             << "loose"
                                             << "'loose': its input is not connected";
        QTest::newRow("half-connected add") << "half-connected add"
                                            << "sum"
                                            << "'sum': input 2 of 2 is not connected";
        QTest::newRow("unused input") << "unused input"
                                      << "in2"
                                      << "'in2' is not connected to any layer";
        QTest::newRow("unused input (count)") << "unused input"
                                              << ""
                                              << "has 2 Input layers";
        QTest::newRow("two outputs") << "two outputs"
                                     << ""
                                     << "2 outputs ('head_a', 'head_b')";
        QTest::newRow("no input") << "no input"
                                  << ""
                                  << "no Input layer";
        QTest::newRow("only input") << "only input"
                                    << ""
                                    << "only an Input layer";
        QTest::newRow("empty") << "empty"
                               << ""
                               << "The network is empty";
        QTest::newRow("unknown type") << "unknown type"
                                      << "mystery"
                                      << "'mystery': unknown layer type 'Frobnicate'";
        QTest::newRow("units out of range")
            << "units out of range"
            << "fc"
            << "'fc': parameter 'units' must be between 1 and 65536, got 0";
        QTest::newRow("wrong parameter type") << "wrong parameter type"
                                              << "fc"
                                              << "parameter 'units' must be a whole number";
        QTest::newRow("unknown parameter") << "unknown parameter"
                                           << "fc"
                                           << "unknown parameter 'neurons'";
        QTest::newRow("bad input shape") << "bad input shape"
                                         << "in"
                                         << "'in': parameter 'shape'";
        QTest::newRow("add mismatched shapes")
            << "add mismatched shapes"
            << "sum"
            << "'sum': input 2 is 64×28×28 but input 1 is 32×28×28: all inputs of Add need "
               "the same shape";
        QTest::newRow("concat mismatched sizes") << "concat mismatched sizes"
                                                 << "cat"
                                                 << "input 2 is 1×14×14 but input 1 is 4×28×28";
        QTest::newRow("reshape wrong count")
            << "reshape wrong count"
            << "img"
            << "'img': cannot reshape 784 values into 1×28×29 (812 values)";
        QTest::newRow("port out of range") << "port out of range"
                                           << "fc"
                                           << "something is connected to input 2";
        QTest::newRow("duplicate names") << "duplicate names"
                                         << "n2"
                                         << "another layer has the same name";
    }
    void rejectsBadGraphs() {
        QFETCH(QString, graph);
        QFETCH(QString, node);
        QFETCH(QString, message);
        const auto graphs = badGraphs();
        QVERIFY2(graphs.count(graph), qPrintable("no graph named " + graph));
        Graph g;
        try {
            g = graphs.at(graph)();
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY(!a.ok());
        QVERIFY(!a.firstProblem().empty());
        bool found = false;
        for (const Problem& p : a.problems)
            found = found || (p.nodeId == node.toStdString() &&
                              QString::fromStdString(p.message).contains(message));
        QVERIFY2(found, qPrintable("expected \"" + message + "\" on '" + node +
                                   "', got: " + allProblems(a)));
        if (!node.isEmpty()) {  // the node carries its error, and its shape is not trusted
            const NodeAnalysis& na = nodeOf(a, node.toStdString());
            QVERIFY(!na.ok);
            QVERIFY(QString::fromStdString(na.error).contains(message));
        }
    }

    // Nodes behind an error stay unresolved without an error of their own, so the user sees the
    // cause once, not a cascade.
    void errorsDoNotCascade() {
        Builder b;
        imageInput(b);
        b.node("fc", "Dense", {{"units", int64_t{16}}})
            .node("act", "ReLU")
            .node("out", "Dense", {{"units", int64_t{10}}});
        b.edge("in", "fc").edge("fc", "act").edge("act", "out");
        const GraphAnalysis a = analyzeGraph(b.graph());
        QCOMPARE(a.problems.size(), size_t{1});
        QCOMPARE(a.problems.front().nodeId, std::string("fc"));
        QVERIFY(QString::fromStdString(a.firstProblem()).contains("insert Flatten"));
        QVERIFY(nodeOf(a, "in").ok);
        for (const char* id : {"act", "out"}) {
            QVERIFY(!nodeOf(a, id).ok);
            QVERIFY(nodeOf(a, id).error.empty());
        }
        QCOMPARE(a.outputNode, std::string("out"));
    }

    // Only nodes on the loop are blamed; 'out', merely fed by it, stays unresolved silently.
    void cycleBlamesOnlyItsNodes() {
        const Graph g = badGraphs().at("cycle")();
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY(a.order.empty());
        QVERIFY(!nodeOf(a, "out").ok);
        QVERIFY2(nodeOf(a, "out").error.empty(), nodeOf(a, "out").error.c_str());
        QVERIFY(!nodeOf(a, "in").ok || nodeOf(a, "in").error.empty());
        for (const Problem& p : a.problems)
            QVERIFY2(!QString::fromStdString(p.message).contains("'out'"), p.message.c_str());
        // The editor asks before connecting: this edge would close another loop.
        QVERIFY(g.wouldCreateCycle(Edge{"out", 0, "in", 0}));
        QVERIFY(!g.wouldCreateCycle(Edge{"in", 0, "out", 0}));
    }

    // Fixing the graph (inserting Flatten) makes it valid: analysis is a pure function of it.
    void fixingTheGraphClearsTheError() {
        Builder b;
        imageInput(b);
        b.node("conv", "Conv2D", {{"filters", int64_t{8}}}).node("fc", "Dense");
        b.edge("in", "conv").edge("conv", "fc");
        Graph g = b.graph();
        QVERIFY(!analyzeGraph(g).ok());
        QVERIFY(g.disconnect(Edge{"conv", 0, "fc", 0}));
        g.addNode(Node{"flat", "Flatten", "flat", {}});
        g.connect(Edge{"conv", 0, "flat", 0});
        g.connect(Edge{"flat", 0, "fc", 0});
        const GraphAnalysis a = analyzeGraph(g);
        QVERIFY2(a.ok(), qPrintable(allProblems(a)));
        QCOMPARE(QString::fromStdString(nodeOf(a, "fc").output.toAsciiString()), "128");
        QCOMPARE(nodeOf(a, "fc").parameters, int64_t{8 * 28 * 28 * 128 + 128});
    }

    void mergeLayersInferShapes() {
        Builder b;
        imageInput(b);
        b.node("a", "Conv2D", {{"filters", int64_t{4}}})
            .node("c", "Conv2D", {{"filters", int64_t{6}}})
            .node("cat", "Concat")
            .node("skip", "Conv2D", {{"filters", int64_t{10}}, {"kernel", int64_t{1}}})
            .node("sum", "Add")
            .node("flat", "Flatten")
            .node("out", "Dense", {{"units", int64_t{3}}});
        b.edge("in", "a").edge("in", "c").edge("a", "cat", 0).edge("c", "cat", 1);
        b.edge("in", "skip").edge("cat", "sum", 0).edge("skip", "sum", 1);
        b.edge("sum", "flat").edge("flat", "out");
        const GraphAnalysis a = analyzeGraph(b.graph());
        QVERIFY2(a.ok(), qPrintable(allProblems(a)));
        QCOMPARE(QString::fromStdString(nodeOf(a, "cat").output.toAsciiString()), "10x28x28");
        QCOMPARE(QString::fromStdString(nodeOf(a, "sum").output.toAsciiString()), "10x28x28");
        QCOMPARE(nodeOf(a, "sum").inputs.size(), size_t{2});
        QCOMPARE(QString::fromStdString(nodeOf(a, "flat").output.toAsciiString()), "7840");
    }
};

QTEST_GUILESS_MAIN(TestGraphAnalysis)
#include "test_graph_analysis.moc"
