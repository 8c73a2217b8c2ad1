// The sequence operators NetLoom imports, as its exporter writes them (the recurrent layers'
// ONNX blocks and rnn_common.cpp's writeRecurrentOnnx): Transpose to time-major → a chain of
// RNN/LSTM/GRU nodes joined by Squeezes → Transpose back or Squeezes of the final states (one
// SimpleRNN/LSTM/GRU layer); Cast + Gather (Embedding); Gather of the last step (LastStep);
// ReduceMean over time (SequenceMean).
#include "engine/export/onnx_import_sequence_ops.h"
#include "engine/export/onnx_import_context.h"

namespace netloom::engine::onnximport {
namespace {

bool isTimeSwap(const onnx::NodeProto& n) {
    return n.op_type() == "Transpose" && attrInts(n, "perm", {}) == std::vector<int64_t>{1, 0, 2};
}

// The axes a Squeeze removes (opset 13+: an input; before: an attribute).
std::vector<int64_t> squeezeAxes(const Context& c, const onnx::NodeProto& n) {
    if (c.hasInput(n, 1)) {
        const Constant& a = c.requireConstant(n, 1, "the axes");
        if (!a.isInt) throw NodeProblem("the axes must be integers");
        return a.ints;
    }
    return attrInts(n, "axes", {});
}

// The Squeeze nodes reading `tensor`, each removing exactly `axis`; throws for anything else.
std::vector<int> squeezesOf(const Context& c, const std::string& tensor, int64_t axis,
                            const std::string& what) {
    std::vector<int> out;
    if (tensor.empty()) return out;
    if (c.isGraphOutput(tensor)) throw NodeProblem(what + " is not squeezed");
    auto it = c.consumers.find(tensor);
    if (it == c.consumers.end()) return out;
    for (int k : it->second) {
        const onnx::NodeProto& s = c.node(k);
        if (s.op_type() != "Squeeze" || squeezeAxes(c, s) != std::vector<int64_t>{axis})
            throw NodeProblem(what + " may only be read through a Squeeze of axis " +
                              std::to_string(axis) + " (node '" + s.name() + "' reads it)");
        out.push_back(k);
    }
    return out;
}

bool used(const Context& c, const onnx::NodeProto& n, int k) {
    return k < n.output_size() && !n.output(k).empty() &&
           (c.consumers.count(n.output(k)) || c.isGraphOutput(n.output(k)));
}

// One ONNX recurrent node's weights in PyTorch's names, layout and gate order.
void readLevel(Context& c, const onnx::NodeProto& n, int64_t gates, int64_t hidden, int64_t in,
               const std::vector<int>& toTorch, std::map<std::string, Tensor>& w, int64_t l) {
    const int64_t gh = gates * hidden;
    auto blocks = [&](const std::vector<float>& v, int64_t size) {
        std::vector<float> out;
        for (int k : toTorch)
            out.insert(out.end(), v.begin() + k * size, v.begin() + (k + 1) * size);
        return out;
    };
    auto take = [&](int k, const char* what, std::vector<int64_t> dims) -> const Constant& {
        const Constant& t = c.requireConstant(n, k, what);
        if (t.isInt || t.dims != dims)
            throw NodeProblem(std::string(what) + " must be float {" + std::to_string(dims[0]) +
                              "," + std::to_string(dims[1]) + "," + std::to_string(dims[2]) +
                              "} for one forward direction");
        return t;
    };
    auto put = [&](const std::string& key, std::vector<int64_t> dims, std::vector<float> v) {
        Tensor t(std::move(dims));
        std::copy(v.begin(), v.end(), t.data());
        w[key + "_l" + std::to_string(l)] = std::move(t);
    };
    put("weight_ih", {gh, in}, blocks(take(1, "W", {1, gh, in}).floats, hidden * in));
    put("weight_hh", {gh, hidden}, blocks(take(2, "R", {1, gh, hidden}).floats, hidden * hidden));
    std::vector<float> b(static_cast<size_t>(2 * gh), 0.0f);
    if (c.hasInput(n, 3)) {
        const Constant& t = c.requireConstant(n, 3, "B");
        if (t.isInt || t.dims != std::vector<int64_t>{1, 2 * gh})
            throw NodeProblem("B must be float {1," + std::to_string(2 * gh) + "}");
        b = t.floats;
    }
    put("bias_ih", {gh}, blocks({b.begin(), b.begin() + gh}, hidden));
    put("bias_hh", {gh}, blocks({b.begin() + gh, b.end()}, hidden));
}

// The settings of one ONNX RNN/LSTM/GRU node NetLoom can run; returns the hidden size.
int64_t checkRecurrentNode(const Context& c, const onnx::NodeProto& n, std::string& activation) {
    if (attrString(n, "direction", "forward") != "forward")
        throw NodeProblem("only forward direction is supported (no bidirectional layer)");
    if (attrInt(n, "layout", 0) != 0) throw NodeProblem("only layout 0 ([T,N,F]) is supported");
    if (attrFloat(n, "clip", 0.0f) != 0.0f) throw NodeProblem("clip is not supported");
    for (int k = 4; k < n.input_size(); ++k)
        if (!n.input(k).empty())
            throw NodeProblem("sequence_lens, initial states and peepholes are not supported");
    if (n.op_type() == "GRU" && attrInt(n, "linear_before_reset", 0) != 1)
        throw NodeProblem("only linear_before_reset=1 (PyTorch's GRU) is supported");
    if (n.op_type() == "LSTM" && attrInt(n, "input_forget", 0) != 0)
        throw NodeProblem("input_forget is not supported");
    std::vector<std::string> acts;
    for (const auto& a : n.attribute())
        if (a.name() == "activations")
            for (const auto& s : a.strings()) acts.push_back(s);
    if (n.op_type() == "RNN") {
        if (acts.size() > 1 || (!acts.empty() && acts[0] != "Tanh" && acts[0] != "Relu"))
            throw NodeProblem("only a Tanh or Relu activation is supported");
        activation = acts.empty() || acts[0] == "Tanh" ? "tanh" : "relu";
    } else if (!acts.empty()) {
        const std::vector<std::string> def =
            n.op_type() == "LSTM" ? std::vector<std::string>{"Sigmoid", "Tanh", "Tanh"}
                                  : std::vector<std::string>{"Sigmoid", "Tanh"};
        if (acts != def) throw NodeProblem("only the default activations are supported");
    }
    const int64_t h = attrInt(n, "hidden_size", 0);
    if (h <= 0) throw NodeProblem("hidden_size is missing");
    return h;
}

// A chain of recurrent nodes from `first` (its input time-major) to one NetLoom layer.
void recurrent(Context& c, int first) {
    const onnx::NodeProto& n0 = c.node(first);
    const std::string op = n0.op_type();
    auto it = c.values.find(n0.input(0));
    if (it == c.values.end() || !it->second.timeMajor)
        throw NodeProblem("the input must be a sequence transposed to [T,N,F]");
    const Value x = it->second;
    const int64_t gates = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
    const std::vector<int> toTorch = op == "LSTM"  ? std::vector<int>{0, 2, 3, 1}
                                     : op == "GRU" ? std::vector<int>{1, 0, 2}
                                                   : std::vector<int>{0};
    std::string activation;
    const int64_t hidden = checkRecurrentNode(c, n0, activation);
    std::map<std::string, Tensor> weights;
    int top = first;
    int64_t layers = 0;
    for (;;) {
        const onnx::NodeProto& n = c.node(top);
        std::string act;
        if (checkRecurrentNode(c, n, act) != hidden || act != activation)
            throw NodeProblem("stacked layers must have the same hidden size and activation");
        readLevel(c, n, gates, hidden, layers == 0 ? x.shape[1] : hidden, toTorch, weights, layers);
        ++layers;
        // Y squeezed into the next node of the same kind, with the final states unused: stacked.
        const int sq = used(c, n, 0) ? c.soleConsumer(n.output(0)) : -1;
        const int next = sq >= 0 && c.node(sq).op_type() == "Squeeze" &&
                                 squeezeAxes(c, c.node(sq)) == std::vector<int64_t>{1}
                             ? c.soleConsumer(c.node(sq).output(0))
                             : -1;
        if (next < 0 || c.node(next).op_type() != op ||
            c.node(next).input(0) != c.node(sq).output(0) || used(c, n, 1) || used(c, n, 2))
            break;
        c.consumed.insert(sq);
        c.consumed.insert(next);
        top = next;
    }
    const onnx::NodeProto& n = c.node(top);
    const std::vector<int> seq = squeezesOf(c, used(c, n, 0) ? n.output(0) : "", 1, "Y");
    const std::vector<int> finalH = squeezesOf(c, n.output_size() > 1 ? n.output(1) : "", 0, "Y_h");
    const std::vector<int> finalC = squeezesOf(c, n.output_size() > 2 ? n.output(2) : "", 0, "Y_c");
    Params p;
    p.set("units", hidden);
    p.set("layers", layers);
    p.set("return_sequences", !seq.empty());
    if (op == "RNN") p.set("activation", activation);
    const int producer = c.producer(n0.input(0));
    const std::string name = producer >= 0 ? c.node(producer).name() : n0.name();
    const std::string id = c.addLayer(op == "RNN" ? "SimpleRNN" : op, name, p,
                                      {Value{x.node, x.port, x.shape, false}});
    c.weights[id] = std::move(weights);
    for (int k : seq) {
        Value v = c.outputOf(id, 0);
        v.timeMajor = true;
        c.consumed.insert(k);
        c.produce(c.node(k).output(0), v);
    }
    for (int k : finalH) {
        // Our exporter marks the Squeeze that is the last step; otherwise Y_h is the h port
        // (SimpleRNN has none: its last step is port 0).
        const bool last = c.node(k).doc_string() == "netloom:last" || op == "RNN";
        if (last && !seq.empty())
            throw NodeProblem("the last step and the whole sequence are both read");
        c.consumed.insert(k);
        c.produce(c.node(k).output(0), c.outputOf(id, last ? 0 : 1));
    }
    for (int k : finalC) {
        c.consumed.insert(k);
        c.produce(c.node(k).output(0), c.outputOf(id, 2));
    }
}

// Transpose [N,T,F] ↔ [T,N,F] around recurrent operators: marks the value time-major or back.
void transpose(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    auto it = c.values.find(n.input(0));
    if (it == c.values.end() || !isTimeSwap(n) || !it->second.shape.sequence ||
        it->second.shape.rank() != 2)
        throw NodeProblem(
            "only swapping the batch and time axes of a sequence (perm 1,0,2) is supported");
    Value v = it->second;
    v.timeMajor = !v.timeMajor;
    c.produce(n.output(0), v);
}

// Cast of the ids to integers, read by a Gather of a constant table: Embedding.
void cast(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value ids = c.input(n, 0);
    const int64_t to = attrInt(n, "to", 0);
    const int g = c.soleConsumer(n.output(0));
    if ((to != onnx::TensorProto::INT64 && to != onnx::TensorProto::INT32) || g < 0 ||
        c.node(g).op_type() != "Gather" || c.node(g).input(1) != n.output(0) ||
        attrInt(c.node(g), "axis", 0) != 0)
        throw NodeProblem("Cast is only supported as the ids of an Embedding's Gather");
    const onnx::NodeProto& gather = c.node(g);
    const Constant& table = c.requireConstant(gather, 0, "the embedding table");
    if (table.isInt || table.dims.size() != 2)
        throw NodeProblem("the embedding table must be a float matrix {vocabulary, dim}");
    Params p;
    p.set("vocabulary", table.dims[0]);
    p.set("dim", table.dims[1]);
    const std::string id = c.addLayer("Embedding", n.name(), p, {ids});
    Tensor w({table.dims[0], table.dims[1]});
    std::copy(table.floats.begin(), table.floats.end(), w.data());
    c.weights[id]["weight"] = std::move(w);
    c.consumed.insert(g);
    c.produce(gather.output(0), c.outputOf(id));
}

// Gather of the last index on the time axis: LastStep.
void gather(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    const Constant* index = c.constantInput(n, 1);
    if (!x.shape.sequence || x.shape.rank() != 2 || attrInt(n, "axis", 0) != 1 || !index ||
        !index->isInt || !index->dims.empty() || index->ints.size() != 1 ||
        (index->ints[0] != -1 && index->ints[0] != x.shape[0] - 1))
        throw NodeProblem(
            "only the last step of a sequence (a scalar index on axis 1) or an Embedding "
            "lookup is supported");
    c.produce(n.output(0), c.outputOf(c.addLayer("LastStep", n.name(), {}, {x})));
}

// ReduceMean over the time axis without keepdims: SequenceMean.
void reduceMean(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    std::vector<int64_t> axes = attrInts(n, "axes", {});
    if (c.hasInput(n, 1)) axes = c.requireConstant(n, 1, "the axes").ints;
    if (!x.shape.sequence || x.shape.rank() != 2 || attrInt(n, "keepdims", 1) != 0 ||
        axes != std::vector<int64_t>{1})
        throw NodeProblem(
            "only the mean over the time axis of a sequence (axes 1, keepdims 0) "
            "is supported");
    c.produce(n.output(0), c.outputOf(c.addLayer("SequenceMean", n.name(), {}, {x})));
}

}  // namespace

void addSequenceConverters(std::map<std::string, Converter>& table) {
    table["RNN"] = recurrent;
    table["LSTM"] = recurrent;
    table["GRU"] = recurrent;
    table["Transpose"] = transpose;
    // Squeeze occurs only inside the recurrent pattern (consumed there).
    table["Squeeze"] = [](Context&, int) {
        throw NodeProblem("Squeeze is only supported around a recurrent operator");
    };
    table["Cast"] = cast;
    table["Gather"] = gather;
    table["ReduceMean"] = reduceMean;
}

}  // namespace netloom::engine::onnximport
