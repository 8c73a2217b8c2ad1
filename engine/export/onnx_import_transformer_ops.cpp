// The Transformer layers as NetLoom's exporter writes them (their layer files' ONNX blocks):
// LayerNormalization over the last axis (LayerNorm); Conv with kernel = stride → Reshape
// {N, d, P} → Transpose {0, 2, 1} (PatchEmbedding); an Add of a constant {T, d} table to a
// sequence (PositionalEmbedding, or SinusoidalPositionalEncoding when the table is the sinusoid
// or the node says so); Shape → Gather → Concat → Expand of a {1, 1, d} token → Concat on axis 1
// (ClassToken).
#include "engine/export/onnx_import_transformer_ops.h"

#include <cmath>

namespace netloom::engine::onnximport {
namespace {

Tensor tensorOf(const Constant& c, std::vector<int64_t> dims) {
    Tensor t(std::move(dims));
    std::copy(c.floats.begin(), c.floats.end(), t.data());
    return t;
}

bool isSequence(const Value& v) {
    return v.shape.sequence && v.shape.rank() == 2 && !v.timeMajor;
}

// The node reading `tensor` alone, required to be `op`; throws naming what was expected.
const onnx::NodeProto& next(const Context& c, const std::string& tensor, const char* op,
                            const std::string& pattern) {
    const int k = c.soleConsumer(tensor);
    if (k < 0 || c.node(k).op_type() != op)
        throw NodeProblem(pattern + " expects a " + op + " to read '" + tensor + "'");
    return c.node(k);
}

// The index of node n in the graph (for marking it consumed).
int indexOf(const Context& c, const onnx::NodeProto& n) {
    return c.producer(n.output(0));
}

void layerNorm(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    const int64_t rank = x.shape.rank() + 1;  // with the batch axis
    const int64_t axis = attrInt(n, "axis", -1);
    if (!(x.shape.rank() == 1 || isSequence(x)) || (axis != -1 && axis != rank - 1))
        throw NodeProblem(
            "only normalizing the last axis of a sequence or a flat input is "
            "supported");
    const int64_t d = x.shape.dims.back();
    const Constant& scale = c.requireConstant(n, 1, "the scale");
    if (scale.isInt || scale.count() != d)
        throw NodeProblem("the scale must have " + std::to_string(d) + " values");
    const Constant* bias = c.hasInput(n, 2) ? &c.requireConstant(n, 2, "the bias") : nullptr;
    if (bias && (bias->isInt || bias->count() != d))
        throw NodeProblem("the bias must have " + std::to_string(d) + " values");
    Params p;
    p.set("epsilon", tidy(attrFloat(n, "epsilon", 1e-5f)));
    const std::string id = c.addLayer("LayerNorm", n.name(), p, {x});
    c.weights[id]["weight"] = tensorOf(scale, {d});
    Tensor b({d});
    b.zero();
    if (bias) b = tensorOf(*bias, {d});
    c.weights[id]["bias"] = std::move(b);
    c.produce(n.output(0), c.outputOf(id));
}

// Conv marked as a patch embedding, with its Reshape and Transpose; other Convs go to `conv`.
Converter patchOr(Converter conv) {
    return [conv](Context& c, int i) {
        const onnx::NodeProto& n = c.node(i);
        if (n.doc_string() != "netloom:PatchEmbedding") return conv(c, i);
        const Value x = c.input(n, 0);
        const std::string what = "a patch embedding";
        const Constant& w = c.requireConstant(n, 1, "the weights");
        const Constant& bias = c.requireConstant(n, 2, "the bias");
        if (x.shape.rank() != 3 || w.isInt || w.dims.size() != 4 || w.dims[1] != x.shape[0] ||
            w.dims[2] != w.dims[3] || bias.count() != w.dims[0] ||
            attrInts(n, "strides", {1, 1}) != std::vector<int64_t>{w.dims[2], w.dims[2]} ||
            attrInts(n, "pads", {0, 0, 0, 0}) != std::vector<int64_t>{0, 0, 0, 0})
            throw NodeProblem(what +
                              " needs an image, square kernels with stride = kernel, "
                              "no padding and a bias");
        const onnx::NodeProto& reshape = next(c, n.output(0), "Reshape", what);
        const onnx::NodeProto& transpose = next(c, reshape.output(0), "Transpose", what);
        if (attrInts(transpose, "perm", {}) != std::vector<int64_t>{0, 2, 1})
            throw NodeProblem(what + " expects a Transpose with perm 0,2,1");
        Params p;
        p.set("patch", w.dims[2]);
        p.set("dim", w.dims[0]);
        const std::string id = c.addLayer("PatchEmbedding", n.name(), p, {x});
        c.weights[id]["weight"] = tensorOf(w, w.dims);
        c.weights[id]["bias"] = tensorOf(bias, {w.dims[0]});
        c.consumed.insert(indexOf(c, reshape));
        c.consumed.insert(indexOf(c, transpose));
        c.produce(transpose.output(0), c.outputOf(id));
    };
}

// True when `table` {T, d} is the sinusoid of SinusoidalPositionalEncoding (to float rounding).
bool isSinusoid(const std::vector<float>& table, int64_t steps, int64_t dim) {
    for (int64_t t = 0; t < steps; ++t)
        for (int64_t j = 0; j < dim; ++j) {
            const double angle =
                double(t) * std::exp(-std::log(10000.0) * double(j - j % 2) / double(dim));
            const double want = j % 2 == 0 ? std::sin(angle) : std::cos(angle);
            if (std::fabs(table[size_t(t * dim + j)] - want) > 1e-6) return false;
        }
    return true;
}

// An Add of a constant {T, d} (or {1, T, d}) to a sequence: a positional layer; other Adds go
// to `sum`.
Converter positionOr(Converter sum) {
    return [sum](Context& c, int i) {
        const onnx::NodeProto& n = c.node(i);
        if (n.input_size() != 2 || !c.constantInput(n, 1) || c.constantInput(n, 0))
            return sum(c, i);
        const Value x = c.input(n, 0);
        const Constant& table = *c.constantInput(n, 1);
        if (!isSequence(x) || table.isInt || table.count() != x.shape.elements())
            throw NodeProblem(
                "adding a constant is only supported as a position table {T, d} "
                "added to a sequence (or a bias after MatMul)");
        const int64_t t = x.shape[0], d = x.shape[1];
        const bool sine =
            n.doc_string() == "netloom:SinusoidalPositionalEncoding" ||
            (n.doc_string() != "netloom:PositionalEmbedding" && isSinusoid(table.floats, t, d));
        const std::string id = c.addLayer(
            sine ? "SinusoidalPositionalEncoding" : "PositionalEmbedding", n.name(), {}, {x});
        if (!sine) c.weights[id]["weight"] = tensorOf(table, {t, d});
        c.produce(n.output(0), c.outputOf(id));
    };
}

// Shape → Gather(0) → Concat with {1, d} → Expand(token {1, 1, d}) → Concat(token, x) on axis 1.
void classToken(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const std::string what = "a class token (Shape → Gather → Concat → Expand → Concat)";
    if (n.doc_string() != "netloom:ClassToken")
        throw NodeProblem("Shape is only supported as the start of " + what);
    const Value x = c.input(n, 0);
    if (!isSequence(x)) throw NodeProblem(what + " needs a sequence input");
    const onnx::NodeProto& gather = next(c, n.output(0), "Gather", what);
    const onnx::NodeProto& shape = next(c, gather.output(0), "Concat", what);
    const onnx::NodeProto& expand = next(c, shape.output(0), "Expand", what);
    const onnx::NodeProto& concat = next(c, expand.output(0), "Concat", what);
    const Constant& token = c.requireConstant(expand, 0, "the token");
    const int64_t d = x.shape[1];
    if (token.isInt || token.count() != d || attrInt(concat, "axis", 0) != 1 ||
        concat.input_size() != 2 || concat.input(0) != expand.output(0) ||
        c.values.count(concat.input(1)) == 0 || c.input(concat, 1).node != x.node)
        throw NodeProblem(what + " must put a {1, 1, " + std::to_string(d) +
                          "} token in front of the same tokens on axis 1");
    const std::string id = c.addLayer("ClassToken", n.name(), {}, {x});
    c.weights[id]["weight"] = tensorOf(token, {1, d});
    for (const onnx::NodeProto* k : {&gather, &shape, &expand, &concat})
        c.consumed.insert(indexOf(c, *k));
    c.produce(concat.output(0), c.outputOf(id));
}

}  // namespace

void addTransformerConverters(std::map<std::string, Converter>& table) {
    table["LayerNormalization"] = layerNorm;
    table["Conv"] = patchOr(table.at("Conv"));
    table["Add"] = positionOr(table.at("Add"));
    table["Shape"] = classToken;
    // Expand occurs only inside the class-token pattern (consumed there).
    table["Expand"] = [](Context&, int) {
        throw NodeProblem("Expand is only supported as part of a class token");
    };
}

}  // namespace netloom::engine::onnximport
