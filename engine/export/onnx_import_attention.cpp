// MultiHeadAttention read back from the block its ONNX hook writes (multi_head_attention.cpp):
// per projection MatMul [+ Add] + Reshape + Transpose (query, key, value), then MatMul, Mul,
// [Add of the causal mask], Softmax, MatMul, Transpose, Reshape, MatMul [+ Add]. The exporter
// marks the projections' MatMuls (kOnnxAttentionDoc on the query's, with the dropout rate), so
// any of them leads here; the block's nodes follow one another in the file.
#include "engine/export/onnx_import_sequence_ops.h"
#include "engine/layers/onnx_export_hook.h"

namespace netloom::engine::onnximport {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

}  // namespace

bool isAttentionBlock(const onnx::NodeProto& n) {
    return startsWith(n.doc_string(), kOnnxAttentionDoc) || n.doc_string() == kOnnxAttentionPartDoc;
}

void importAttention(Context& c, int i) {
    const int nodes = c.graph->node_size();
    int first = i;
    while (first >= 0 && !startsWith(c.node(first).doc_string(), kOnnxAttentionDoc)) --first;
    if (first < 0 || i - first > 8)
        throw NodeProblem("a MultiHeadAttention part without its query projection");
    auto node = [&](int k) -> const onnx::NodeProto& {
        if (first + k >= nodes) throw NodeProblem("the MultiHeadAttention block is cut short");
        return c.node(first + k);
    };
    auto expect = [&](int k, const char* op) -> const onnx::NodeProto& {
        const onnx::NodeProto& n = node(k);
        if (n.op_type() != op)
            throw NodeProblem("node '" + n.name() + "' is " + n.op_type() + " where NetLoom's " +
                              "MultiHeadAttention block has " + op);
        return n;
    };
    const bool bias = node(1).op_type() == "Add";
    const int per = bias ? 4 : 3;
    // The projections: W_t {d, d} each (the rows of in_proj_weight, transposed), biases {d}.
    const Constant& q = c.requireConstant(expect(0, "MatMul"), 1, "the query projection");
    if (q.dims.size() != 2 || q.dims[0] != q.dims[1])
        throw NodeProblem("the query projection must be a square matrix");
    const int64_t d = q.dims[0];
    Tensor inW({3 * d, d}), inB({3 * d}), outW({d, d}), outB({d});
    inB.zero();
    outB.zero();
    auto readLinear = [&](int k, Tensor& w, Tensor& b, int64_t block, const char* what) {
        const Constant& wt = c.requireConstant(expect(k, "MatMul"), 1, what);
        if (wt.isInt || wt.dims != std::vector<int64_t>{d, d})
            throw NodeProblem(std::string(what) + " must be float {" + std::to_string(d) + ", " +
                              std::to_string(d) + "}");
        for (int64_t r = 0; r < d; ++r)
            for (int64_t col = 0; col < d; ++col)
                w[(block * d + r) * d + col] = wt.floats[static_cast<size_t>(col * d + r)];
        if (!bias) return;
        const Constant& bc = c.requireConstant(expect(k + 1, "Add"), 1, "a projection bias");
        if (bc.isInt || bc.count() != d) throw NodeProblem("a projection bias must have d values");
        std::copy(bc.floats.begin(), bc.floats.end(), b.data() + block * d);
    };
    for (int64_t block = 0; block < 3; ++block) {
        readLinear(static_cast<int>(block) * per, inW, inB, block, "an input projection");
        expect(static_cast<int>(block) * per + per - 2, "Reshape");
        expect(static_cast<int>(block) * per + per - 1, "Transpose");
    }
    const Constant& split = c.requireConstant(node(per - 2), 1, "the heads shape");
    if (!split.isInt || split.ints.size() != 4 || split.ints[2] <= 0)
        throw NodeProblem("the heads shape must be {0, 0, heads, width/heads}");
    int k = 3 * per;
    expect(k++, "MatMul");
    expect(k++, "Mul");
    const bool causal = node(k).op_type() == "Add";
    if (causal) ++k;
    expect(k++, "Softmax");
    expect(k++, "MatMul");
    expect(k++, "Transpose");
    expect(k++, "Reshape");
    readLinear(k, outW, outB, 0, "the output projection");
    const int last = k + (bias ? 1 : 0);

    const Value query = c.input(node(0), 0);
    const bool cross = node(per).input(0) != node(0).input(0);
    std::vector<Value> inputs{query};
    if (cross) inputs.push_back(c.input(node(per), 0));
    Params p;
    p.set("heads", split.ints[2]);
    p.set("causal", causal);
    p.set("use_bias", bias);
    p.set("cross_attention", cross);
    try {
        p.set("dropout", std::stod(node(0).doc_string().substr(kOnnxAttentionDoc.size())));
    } catch (const std::exception&) {
        throw NodeProblem("unreadable dropout rate in '" + node(0).doc_string() + "'");
    }
    const std::string id = c.addLayer("MultiHeadAttention", node(0).name(), p, inputs);
    c.weights[id]["in_proj_weight"] = std::move(inW);
    c.weights[id]["out_proj_weight"] = std::move(outW);
    if (bias) {
        c.weights[id]["in_proj_bias"] = std::move(inB);
        c.weights[id]["out_proj_bias"] = std::move(outB);
    }
    for (int j = 0; j <= last; ++j) c.consumed.insert(first + j);
    c.produce(node(last).output(0), c.outputOf(id));
}

}  // namespace netloom::engine::onnximport
