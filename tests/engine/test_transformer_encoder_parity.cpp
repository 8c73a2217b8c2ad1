// The palette's "Transformer encoder block" (resources/blocks/transformer_encoder.json: LayerNorm
// → MultiHeadAttention → Add → LayerNorm → Dense → GELU → Dense → Add), built from that very
// file into a Model, against PyTorch's nn.TransformerEncoderLayer(norm_first=True,
// activation="gelu", dropout=0, batch_first=True) with the same weights: the output, the input's
// gradient and all twelve parameter gradients within 1e-4 relative. The checked-in fixture
// (tests/data/transformer_encoder_parity.json) always, a live torch run when /usr/bin/python3
// has torch.
#include <omp.h>
#include <QtTest>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/compute.h"
#include "engine/graph/graph.h"
#include "engine/model/model.h"
#include "support/test_support.h"
#include "support/torch_parity.h"

using namespace netloom::engine;
using netloom::test::compareWithTorch;
using netloom::test::formulaTensor;
using json = nlohmann::json;

namespace {

double g_worstRel = 0;  // the largest relative difference of one run, for the log

Params paramsFromJson(const json& j) {
    Params p;
    for (const auto& [key, v] : j.items()) {
        if (v.is_boolean())
            p.set(key, v.get<bool>());
        else if (v.is_number_integer())
            p.set(key, v.get<int64_t>());
        else if (v.is_number())
            p.set(key, v.get<double>());
        else if (v.is_string())
            p.set(key, v.get<std::string>());
    }
    return p;
}

// Input (flat T·d) → Reshape to {T, d} tokens → the palette block, its nodes and edges as the
// file has them, its entries fed by the tokens; the feed-forward width and the heads set per
// case (the second Dense's units = d). Returns the graph; `block` gets the fragment's node ids.
Graph encoderGraph(int64_t t, int64_t d, int64_t heads, int64_t ff) {
    std::ifstream file(std::string(NETLOOM_SOURCE_DIR) +
                       "/resources/blocks/transformer_encoder.json");
    if (!file) throw std::runtime_error("resources/blocks/transformer_encoder.json is missing");
    const json fragment = json::parse(file);
    Graph g;
    Params in;
    in.set("shape", std::to_string(t * d));
    g.addNode(Node{"in", "Input", "in", in});
    Params r;
    r.set("shape", std::to_string(t) + "," + std::to_string(d));
    r.set("sequence", true);
    g.addNode(Node{"tokens", "Reshape", "tokens", r});
    g.connect({"in", 0, "tokens", 0});
    for (const json& n : fragment["nodes"]) {
        const std::string id = n["id"];
        Params p = paramsFromJson(n["params"]);
        if (id == "mha") p.set("heads", heads);
        if (id == "ff_a") p.set("units", ff);
        if (id == "ff_b") p.set("units", d);
        g.addNode(Node{id, n["type"], id, p});  // ids as names: the file repeats its names
    }
    for (const json& e : fragment["edges"])
        g.connect({e["from"], e["fromPort"].get<int>(), e["to"], e["toPort"].get<int>()});
    for (const json& entry : fragment["block"]["entries"])
        g.connect({"tokens", 0, entry["node"], entry["port"].get<int>()});
    return g;
}

// The palette block's node and tensor for each of PyTorch's parameter names.
const std::map<std::string, std::pair<std::string, std::string>> kTorchToBlock = {
    {"self_attn_in_proj_weight", {"mha", "in_proj_weight"}},
    {"self_attn_in_proj_bias", {"mha", "in_proj_bias"}},
    {"self_attn_out_proj_weight", {"mha", "out_proj_weight"}},
    {"self_attn_out_proj_bias", {"mha", "out_proj_bias"}},
    {"linear1_weight", {"ff_a", "weight"}},
    {"linear1_bias", {"ff_a", "bias"}},
    {"linear2_weight", {"ff_b", "weight"}},
    {"linear2_bias", {"ff_b", "bias"}},
    {"norm1_weight", {"ln_a", "weight"}},
    {"norm1_bias", {"ln_a", "bias"}},
    {"norm2_weight", {"ln_b", "weight"}},
    {"norm2_bias", {"ln_b", "bias"}},
};

QStringList checkCase(const json& c) {
    const int64_t n = c["batch"], t = c["tokens"], d = c["width"];
    const QString name = QString::fromStdString(c["name"].get<std::string>());
    ComputeContext ctx;
    Model model(encoderGraph(t, d, c["heads"], c["feed_forward"]), ctx);

    // The script's weights: parameter k of named_parameters() is 0.1·sin(0.731·i + 1.7·k +
    // 0.3), + 1 for the LayerNorm weights.
    WeightSet weights = model.weights();
    const json& names = c["param_names"];
    QStringList problems;
    if (names.size() != kTorchToBlock.size())
        problems << name + QString(": PyTorch has %1 parameters, the block %2")
                               .arg(names.size())
                               .arg(kTorchToBlock.size());
    for (size_t k = 0; k < names.size(); ++k) {
        const std::string torchName = names[k];
        const auto& [node, tensor] = kTorchToBlock.at(torchName);
        Tensor& w = weights.at(node).at(tensor);
        Tensor v = formulaTensor(w.dims(), 0.731, 1.7 * double(k) + 0.3, false);
        const bool normScale = torchName.rfind("norm", 0) == 0 && tensor == "weight";
        for (int64_t i = 0; i < v.size(); ++i) w[i] = 0.1f * v[i] + (normScale ? 1.0f : 0.0f);
    }
    model.loadWeights(weights);

    const Tensor x = formulaTensor({n, t * d}, 0.37, 0.5, false);
    const Tensor& y = model.forward(x, true);
    problems << compareWithTorch(y, c["output"], name + " output", &g_worstRel);
    const Tensor g = formulaTensor(y.dims(), 0.29, 0.0, true);
    for (Parameter* p : model.parameters()) p->grad.zero();
    Tensor dx(x.dims());
    model.backward(g, &dx);
    problems << compareWithTorch(dx, c["input_grad"], name + " input gradient", &g_worstRel);

    // Parameter gradients by node: Model::parameters() runs in the layers' order, which for
    // this chain is the fragment's (ln_a, mha, ln_b, ff_a, ff_b), each layer's tensors in its
    // own order; matched by value to the loaded weights, so the order is checked, not assumed.
    std::vector<Parameter*> params = model.parameters();
    for (const auto& [torchName, place] : kTorchToBlock) {
        const Tensor& loaded = weights.at(place.first).at(place.second);
        Parameter* found = nullptr;
        for (Parameter* p : params)
            if (p->name == place.second && p->value.dims() == loaded.dims() &&
                std::equal(loaded.data(), loaded.data() + loaded.size(), p->value.data()))
                found = p;
        if (!found) {
            problems << name + ": no parameter holds " + QString::fromStdString(place.first) + "." +
                            QString::fromStdString(place.second);
            continue;
        }
        problems << compareWithTorch(found->grad, c["param_grads"][torchName],
                                     name + " gradient of " + QString::fromStdString(torchName),
                                     &g_worstRel);
    }
    problems.removeAll(QString());
    return problems;
}

void checkReference(const json& doc) {
    QVERIFY(doc["cases"].size() >= 3);
    QStringList all;
    g_worstRel = 0;
    for (const json& c : doc["cases"]) all << checkCase(c);
    QVERIFY2(all.isEmpty(), qPrintable(all.join("\n")));
    qInfo(
        "%zu cases match nn.TransformerEncoderLayer; largest relative difference %.2g "
        "(outputs, input and parameter gradients)",
        doc["cases"].size(), g_worstRel);
}

}  // namespace

class TestTransformerEncoderParity : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { omp_set_num_threads(1); }

    void matchesCheckedInFixture() {
        std::ifstream file(netloom::test::dataFile("transformer_encoder_parity.json"));
        QVERIFY2(file, "tests/data/transformer_encoder_parity.json is missing");
        checkReference(json::parse(file));
    }

    void matchesPytorchNow() {
        if (!netloom::test::torchAvailable())
            QSKIP("python3-torch is not installed: the fixture row checks parity");
        json fresh;
        const QString failed =
            netloom::test::runTorchReference("transformer_encoder_parity.py", &fresh);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        checkReference(fresh);
    }

    // The comparison can fail: a wrong weight mapping (the two LayerNorms swapped) is caught.
    void aSwappedWeightIsCaught() {
        std::ifstream file(netloom::test::dataFile("transformer_encoder_parity.json"));
        QVERIFY(file);
        json doc = json::parse(file);
        json& c = doc["cases"][1];
        std::swap(c["param_grads"]["norm1_weight"], c["param_grads"]["norm2_weight"]);
        QVERIFY(!checkCase(c).isEmpty());
    }
};

QTEST_MAIN(TestTransformerEncoderParity)
#include "test_transformer_encoder_parity.moc"
