// The ONNX operators NetLoom imports, one converter each: from an ONNX node (and, for the
// patterns PyTorch and our exporter write — Erf-form GELU, MatMul + Add, GlobalAveragePool +
// Flatten — the nodes after it) to NetLoom layers with their weights.
#include <cmath>

#include "engine/export/onnx_import_context.h"
#include "engine/export/onnx_import_sequence_ops.h"
#include "engine/export/onnx_import_transformer_ops.h"
#include "engine/layers/spatial.h"

namespace netloom::engine::onnximport {
namespace {

std::string list(const std::vector<int64_t>& v) {
    std::string s;
    for (int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

Tensor tensorOf(const Constant& c) {
    Tensor t(c.dims.empty() ? std::vector<int64_t>{1} : c.dims);
    std::copy(c.floats.begin(), c.floats.end(), t.data());
    return t;
}

bool isScalar(const Constant* c, float value) {
    return c && !c->isInt && c->floats.size() == 1 &&
           std::fabs(c->floats[0] - value) <= 1e-5f * std::max(1.0f, std::fabs(value));
}

void requireImage(const Value& v, const char* op) {
    if (v.shape.rank() != 3)
        throw NodeProblem(std::string(op) + " needs an image input C×H×W, got " +
                          v.shape.toString());
}

// The padding mode whose pads equal `pads` {top, left, bottom, right}; `prefer` first when
// both fit (e.g. a 1×1 kernel); then, where the layer has it (Conv2D, the pools), "explicit" for
// equal pads on every side (PyTorch's padding=p). Throws naming the pads when none fits.
std::string paddingMode(const std::vector<int64_t>& pads, const Shape& in, int64_t kernel,
                        int64_t stride, int64_t dilation, const std::string& prefer,
                        bool explicitOk = false) {
    auto fits = [&](bool same) {
        const spatial::Axis y = spatial::slide(in[1], kernel, stride, dilation, same, "height");
        const spatial::Axis x = spatial::slide(in[2], kernel, stride, dilation, same, "width");
        return pads == std::vector<int64_t>{y.padBefore, x.padBefore, y.padAfter, x.padAfter};
    };
    const std::string other = prefer == "same" ? "valid" : "same";
    for (const std::string& mode : {prefer, other}) {
        try {
            if (fits(mode == "same")) return mode;
        } catch (const Error&) {
        }
    }
    const bool symmetric = pads[0] == pads[1] && pads[0] == pads[2] && pads[0] == pads[3];
    if (explicitOk && symmetric) return "explicit";
    throw NodeProblem("pads [" + list(pads) + "] with kernel " + std::to_string(kernel) +
                      " and stride " + std::to_string(stride) + " on " + in.toString() +
                      " are neither 'same' (TensorFlow's rule) nor 'valid' padding" +
                      (explicitOk ? " nor equal on every side" : "") +
                      (explicitOk || !symmetric
                           ? std::string()
                           : std::string(" (this layer takes no explicit pads)")));
}

std::vector<int64_t> padsOf(const onnx::NodeProto& n) {
    const std::string autoPad = attrString(n, "auto_pad", "NOTSET");
    if (autoPad != "NOTSET" && autoPad != "VALID")
        throw NodeProblem("auto_pad " + autoPad + " is not supported; export explicit pads");
    std::vector<int64_t> pads = attrInts(n, "pads", {0, 0, 0, 0});
    if (pads.size() != 4) throw NodeProblem("expects 4 pads for a 2-D window");
    return pads;
}

// kernel_shape square, strides and dilations equal on both axes.
int64_t square(const std::vector<int64_t>& v, const char* what) {
    if (v.size() != 2 || v[0] != v[1])
        throw NodeProblem(std::string(what) + " [" + list(v) + "] must be the same on both axes");
    return v[0];
}

void gemm(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    if (attrInt(n, "transA", 0) != 0 || attrFloat(n, "alpha", 1) != 1.0f ||
        attrFloat(n, "beta", 1) != 1.0f)
        throw NodeProblem("only transA=0, alpha=1 and beta=1 map to Dense");
    if (x.shape.rank() != 1) throw NodeProblem("needs a flat input, got " + x.shape.toString());
    const Constant& b = c.requireConstant(n, 1, "the weight matrix");
    if (b.dims.size() != 2) throw NodeProblem("the weight matrix must be 2-D");
    const bool transB = attrInt(n, "transB", 0) != 0;
    const int64_t units = transB ? b.dims[0] : b.dims[1], in = transB ? b.dims[1] : b.dims[0];
    if (in != x.shape[0])
        throw NodeProblem("the weight matrix takes " + std::to_string(in) + " inputs, got " +
                          std::to_string(x.shape[0]));
    Tensor w({units, in});
    for (int64_t o = 0; o < units; ++o)
        for (int64_t k = 0; k < in; ++k)
            w[o * in + k] = transB ? b.floats[static_cast<size_t>(o * in + k)]
                                   : b.floats[static_cast<size_t>(k * units + o)];
    const Constant* bias = c.hasInput(n, 2) ? &c.requireConstant(n, 2, "the bias") : nullptr;
    if (bias && bias->count() != units)
        throw NodeProblem("the bias has " + std::to_string(bias->count()) + " values for " +
                          std::to_string(units) + " units");
    Params p;
    p.set("units", units);
    p.set("use_bias", bias != nullptr);
    const std::string id = c.addLayer("Dense", n.name(), p, {x});
    c.weights[id]["weight"] = std::move(w);
    if (bias) {
        Tensor t = tensorOf(*bias);
        t.resize({units});
        c.weights[id]["bias"] = std::move(t);
    }
    c.produce(n.output(0), c.outputOf(id));
}

// MatMul(x, W{in, units}) with an optional following Add of a {units} bias: Dense, also on a
// sequence {T, in} (PyTorch writes Linear on 3-D inputs this way).
void matmul(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    if (isAttentionBlock(n)) return importAttention(c, i);
    const Value x = c.input(n, 0);
    const Constant& b = c.requireConstant(n, 1, "the weight matrix");
    if (b.dims.size() != 2) throw NodeProblem("the weight matrix must be 2-D");
    const int64_t in = b.dims[0], units = b.dims[1];
    const bool sequence = x.shape.sequence && x.shape.rank() == 2;
    if (!(sequence || x.shape.rank() == 1) || x.shape.dims.back() != in)
        throw NodeProblem("multiplies a " + x.shape.toString() + " input by a " +
                          std::to_string(in) + "×" + std::to_string(units) +
                          " matrix: Dense needs a flat input or a sequence of " +
                          std::to_string(in) + " features");
    Tensor w({units, in});
    for (int64_t o = 0; o < units; ++o)
        for (int64_t k = 0; k < in; ++k)
            w[o * in + k] = b.floats[static_cast<size_t>(k * units + o)];
    const int add = c.soleConsumer(n.output(0));
    const Constant* bias = nullptr;
    const onnx::NodeProto* addNode = nullptr;
    if (add >= 0 && c.node(add).op_type() == "Add") {
        const onnx::NodeProto& a = c.node(add);
        const int k = a.input(0) == n.output(0) ? 1 : 0;
        const Constant* cb = c.constantInput(a, k);
        if (cb && !cb->isInt && cb->count() == units) {
            bias = cb;
            addNode = &a;
        }
    }
    Params p;
    p.set("units", units);
    p.set("use_bias", bias != nullptr);
    const std::string id = c.addLayer("Dense", n.name(), p, {x});
    c.weights[id]["weight"] = std::move(w);
    if (bias) {
        Tensor t = tensorOf(*bias);
        t.resize({units});
        c.weights[id]["bias"] = std::move(t);
        c.consumed.insert(add);
        c.produce(addNode->output(0), c.outputOf(id));
    }
    c.produce(n.output(0), c.outputOf(id));
}

void conv(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    requireImage(x, "Conv");
    if (const int64_t group = attrInt(n, "group", 1); group != 1)
        throw NodeProblem("group=" + std::to_string(group) +
                          ": grouped convolution is not supported (Conv2D connects every "
                          "input channel to every filter)");
    const Constant& w = c.requireConstant(n, 1, "the weights");
    if (w.dims.size() != 4 || w.dims[2] != w.dims[3])
        throw NodeProblem("needs square 2-D kernels {filters, channels, k, k}");
    if (w.dims[1] != x.shape[0])
        throw NodeProblem("the kernels take " + std::to_string(w.dims[1]) +
                          " channels, the input has " + std::to_string(x.shape[0]));
    const int64_t k = w.dims[2];
    const int64_t stride = square(attrInts(n, "strides", {1, 1}), "strides");
    const int64_t dilation = square(attrInts(n, "dilations", {1, 1}), "dilations");
    const Constant* bias = c.hasInput(n, 2) ? &c.requireConstant(n, 2, "the bias") : nullptr;
    if (bias && bias->count() != w.dims[0])
        throw NodeProblem("the bias does not match the filters");
    Params p;
    p.set("filters", w.dims[0]);
    p.set("kernel", k);
    p.set("stride", stride);
    p.set("dilation", dilation);
    const std::vector<int64_t> pads = padsOf(n);
    const std::string padding = paddingMode(pads, x.shape, k, stride, dilation, "same", true);
    p.set("padding", padding);
    if (padding == "explicit") p.set("pad", pads[0]);
    p.set("use_bias", bias != nullptr);
    const std::string id = c.addLayer("Conv2D", n.name(), p, {x});
    c.weights[id]["weight"] = tensorOf(w);
    if (bias) c.weights[id]["bias"] = tensorOf(*bias);
    c.produce(n.output(0), c.outputOf(id));
}

void convTranspose(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    requireImage(x, "ConvTranspose");
    if (const int64_t group = attrInt(n, "group", 1); group != 1)
        throw NodeProblem("group=" + std::to_string(group) +
                          ": grouped convolution is not supported (Conv2D connects every "
                          "input channel to every filter)");
    if (n.attribute_size() && !attrInts(n, "output_shape", {}).empty())
        throw NodeProblem("output_shape is not supported; export pads and output_padding");
    if (square(attrInts(n, "dilations", {1, 1}), "dilations") != 1)
        throw NodeProblem("dilations [" + list(attrInts(n, "dilations", {})) +
                          "]: dilated transposed convolution is not supported");
    const Constant& w = c.requireConstant(n, 1, "the weights");
    if (w.dims.size() != 4 || w.dims[2] != w.dims[3] || w.dims[0] != x.shape[0])
        throw NodeProblem("needs square kernels {channels, filters, k, k} for " +
                          x.shape.toString());
    const std::vector<int64_t> pads = padsOf(n);
    if (pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3])
        throw NodeProblem("pads [" + list(pads) +
                          "] must be equal on every side (Conv2DTranspose's padding)");
    const Constant* bias = c.hasInput(n, 2) ? &c.requireConstant(n, 2, "the bias") : nullptr;
    if (bias && bias->count() != w.dims[1])
        throw NodeProblem("the bias does not match the filters");
    Params p;
    p.set("filters", w.dims[1]);
    p.set("kernel", w.dims[2]);
    p.set("stride", square(attrInts(n, "strides", {1, 1}), "strides"));
    p.set("padding", pads[0]);
    p.set("output_padding", square(attrInts(n, "output_padding", {0, 0}), "output_padding"));
    p.set("use_bias", bias != nullptr);
    const std::string id = c.addLayer("Conv2DTranspose", n.name(), p, {x});
    c.weights[id]["weight"] = tensorOf(w);
    if (bias) c.weights[id]["bias"] = tensorOf(*bias);
    c.produce(n.output(0), c.outputOf(id));
}

void pool(Context& c, int i, const std::string& type) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    requireImage(x, n.op_type().c_str());
    if (attrInt(n, "ceil_mode", 0) != 0) throw NodeProblem("ceil_mode=1 is not supported");
    if (square(attrInts(n, "dilations", {1, 1}), "dilations") != 1)
        throw NodeProblem("dilated pooling is not supported");
    if (n.output_size() > 1 && !n.output(1).empty() && c.consumers.count(n.output(1)))
        throw NodeProblem("the indices output is not supported");
    const int64_t k = square(attrInts(n, "kernel_shape", {}), "kernel_shape");
    const int64_t stride = square(attrInts(n, "strides", {1, 1}), "strides");
    const std::vector<int64_t> pads = padsOf(n);
    const bool padded = pads != std::vector<int64_t>{0, 0, 0, 0};
    if (type == "AvgPool2D" && padded && attrInt(n, "count_include_pad", 0) != 0)
        throw NodeProblem(
            "count_include_pad=1 with padding is not supported (AvgPool2D divides "
            "by the values inside the image)");
    Params p;
    p.set("pool_size", k);
    p.set("stride", stride == k ? 0 : stride);
    const std::string padding = paddingMode(pads, x.shape, k, stride, 1, "valid", true);
    if (padding == "explicit") {
        if (2 * pads[0] > k)
            throw NodeProblem("pads [" + list(pads) + "] are more than half the kernel " +
                              std::to_string(k) + " (a window could lie wholly in the border)");
        p.set("pad", pads[0]);
    }
    p.set("padding", padding);
    const std::string id = c.addLayer(type, n.name(), p, {x});
    c.produce(n.output(0), c.outputOf(id));
}

// GlobalAveragePool gives N×C×1×1: a following Flatten (or Reshape to N×C) is part of our
// GlobalAvgPool; otherwise a Reshape to C×1×1 keeps the ONNX shape.
void globalAvgPool(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    requireImage(x, "GlobalAveragePool");
    const std::string id = c.addLayer("GlobalAvgPool", n.name(), {}, {x});
    const int next = c.soleConsumer(n.output(0));
    if (next >= 0) {
        const onnx::NodeProto& f = c.node(next);
        const Constant* shape = f.op_type() == "Reshape" ? c.constantInput(f, 1) : nullptr;
        const bool flatten = f.op_type() == "Flatten" && attrInt(f, "axis", 1) == 1;
        const bool reshape =
            shape && shape->isInt && shape->ints.size() == 2 && shape->ints[1] == x.shape[0];
        if (flatten || reshape) {
            c.consumed.insert(next);
            c.produce(f.output(0), c.outputOf(id));
            return;
        }
    }
    Params r;
    r.set("shape", std::to_string(x.shape[0]) + ",1,1");
    c.produce(n.output(0),
              c.outputOf(c.addLayer("Reshape", n.name() + "_4d", r, {c.outputOf(id)})));
}

void batchNorm(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    if (x.shape.rank() != 1 && x.shape.rank() != 3)
        throw NodeProblem("needs an image C×H×W or flat input, got " + x.shape.toString());
    if (attrInt(n, "training_mode", 0) != 0) throw NodeProblem("training_mode=1 is not supported");
    if (n.output_size() > 1 && !n.output(1).empty() && c.consumers.count(n.output(1)))
        throw NodeProblem("the running-statistics outputs are not supported");
    const int64_t channels = x.shape[0];
    Params p;
    p.set("epsilon", tidy(attrFloat(n, "epsilon", 1e-5f)));
    p.set("momentum", tidy(1.0 - attrFloat(n, "momentum", 0.9f)));
    const std::string id = c.addLayer("BatchNorm", n.name(), p, {x});
    const char* keys[] = {"gamma", "beta", "running_mean", "running_var"};
    for (int k = 1; k <= 4; ++k) {
        const Constant& t = c.requireConstant(n, k, keys[k - 1]);
        if (t.count() != channels)
            throw NodeProblem(std::string(keys[k - 1]) + " has " + std::to_string(t.count()) +
                              " values for " + std::to_string(channels) + " channels");
        c.weights[id][keys[k - 1]] = tensorOf(t);
    }
    c.produce(n.output(0), c.outputOf(id));
}

Converter simple(const std::string& type,
                 std::function<Params(const onnx::NodeProto&)> params = {}) {
    return [type, params](Context& c, int i) {
        const onnx::NodeProto& n = c.node(i);
        const std::string id =
            c.addLayer(type, n.name(), params ? params(n) : Params{}, {c.input(n, 0)});
        c.produce(n.output(0), c.outputOf(id));
    };
}

void softmax(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    const int64_t rank = x.shape.rank() + 1;  // with the batch axis
    int64_t axis = attrInt(n, "axis", c.opset >= 13 ? -1 : 1);
    if (axis < 0) axis += rank;
    const int64_t ours = x.shape.sequence ? x.shape.rank() : 1;
    // Before opset 13 Softmax flattens from `axis`: the same only over the last axis.
    if (axis != ours || (c.opset < 13 && axis != rank - 1))
        throw NodeProblem("softmax over axis " + std::to_string(axis) + " of " +
                          x.shape.toString() + " is not supported (NetLoom's is over axis " +
                          std::to_string(ours) + ")");
    c.produce(n.output(0), c.outputOf(c.addLayer("Softmax", n.name(), {}, {x})));
}

// GELU as PyTorch (and our exporter) write it: Div(x, √2) → Erf → Add(1) → Mul(x) → Mul(½).
void div(Context& c, int i) {
    const onnx::NodeProto& d = c.node(i);
    const Value x = c.input(d, 0);
    auto fail = [] { return NodeProblem("Div is only supported as part of GELU's erf form"); };
    if (!isScalar(c.constantInput(d, 1), 1.41421356f)) throw fail();
    auto next = [&](const onnx::NodeProto& from, const char* op) -> int {
        const int k = c.soleConsumer(from.output(0));
        if (k < 0 || c.node(k).op_type() != op) throw fail();
        return k;
    };
    const int erf = next(d, "Erf");
    const int add = next(c.node(erf), "Add");
    const onnx::NodeProto& a = c.node(add);
    if (!isScalar(c.constantInput(a, a.input(0) == c.node(erf).output(0) ? 1 : 0), 1.0f))
        throw fail();
    const int mul = next(a, "Mul");
    const onnx::NodeProto& m = c.node(mul);
    const std::string& other = m.input(0) == a.output(0) ? m.input(1) : m.input(0);
    if (other != d.input(0)) throw fail();
    const int half = next(m, "Mul");
    const onnx::NodeProto& h = c.node(half);
    if (!isScalar(c.constantInput(h, h.input(0) == m.output(0) ? 1 : 0), 0.5f)) throw fail();
    for (int k : {erf, add, mul, half}) c.consumed.insert(k);
    c.produce(h.output(0), c.outputOf(c.addLayer("GELU", d.name(), {}, {x})));
}

void dropout(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    float ratio = attrFloat(n, "ratio", 0.5f);
    if (c.hasInput(n, 1)) {
        const Constant& r = c.requireConstant(n, 1, "the ratio");
        if (r.isInt || r.floats.size() != 1) throw NodeProblem("the ratio must be one number");
        ratio = r.floats[0];
    }
    if (c.hasInput(n, 2)) {
        const Constant* t = c.constantInput(n, 2);
        if (!t || (t->isInt ? t->ints.at(0) : t->floats.at(0)) != 0)
            throw NodeProblem("training_mode must be false");
    }
    Params p;
    p.set("rate", tidy(ratio));
    c.produce(n.output(0), c.outputOf(c.addLayer("Dropout", n.name(), p, {c.input(n, 0)})));
}

void identity(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    c.produce(n.output(0), c.input(n, 0));
}

// PyTorch writes AvgPool2d as Pad + AveragePool, with all pads zero when there is no padding.
void pad(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Constant* pads = c.constantInput(n, 1);
    std::vector<int64_t> values = pads ? pads->ints : attrInts(n, "pads", {});
    for (int64_t v : values)
        if (v != 0) throw NodeProblem("only Pad with zero pads is supported (no padding layer)");
    c.produce(n.output(0), c.input(n, 0));
}

void sum(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    std::vector<Value> inputs;
    for (int k = 0; k < n.input_size(); ++k) {
        if (c.constantInput(n, k))
            throw NodeProblem("adding a constant is not supported (only a bias after MatMul)");
        inputs.push_back(c.input(n, k));
    }
    if (inputs.size() < 2) throw NodeProblem("needs at least two inputs");
    Params p;
    p.set("inputs", static_cast<int64_t>(inputs.size()));
    c.produce(n.output(0), c.outputOf(c.addLayer("Add", n.name(), p, inputs)));
}

void concat(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    std::vector<Value> inputs;
    for (int k = 0; k < n.input_size(); ++k) inputs.push_back(c.input(n, k));
    int64_t axis = attrInt(n, "axis", 1);
    if (axis < 0) axis += inputs.at(0).shape.rank() + 1;
    if (axis < 1) throw NodeProblem("joining along the batch axis is not supported");
    Params p;
    p.set("inputs", static_cast<int64_t>(inputs.size()));
    p.set("axis", axis - 1);
    c.produce(n.output(0), c.outputOf(c.addLayer("Concat", n.name(), p, inputs)));
}

void flatten(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    int64_t axis = attrInt(n, "axis", 1);
    if (axis < 0) axis += x.shape.rank() + 1;
    if (axis != 1) throw NodeProblem("only Flatten from axis 1 (after the batch) is supported");
    c.produce(n.output(0), c.outputOf(c.addLayer("Flatten", n.name(), {}, {x})));
}

void reshape(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    const Constant& s = c.requireConstant(n, 1, "the target shape");
    if (!s.isInt || s.ints.empty()) throw NodeProblem("the target shape must be int64 values");
    if (s.ints[0] != -1 && s.ints[0] != 0)
        throw NodeProblem("the target shape must keep the batch axis first (-1 or 0)");
    std::vector<int64_t> dims(s.ints.begin() + 1, s.ints.end());
    int64_t known = 1, unknown = -1;
    for (size_t k = 0; k < dims.size(); ++k) {
        if (dims[k] == 0) {
            if (static_cast<int>(k) >= x.shape.rank())
                throw NodeProblem("a 0 in the shape has no input axis to copy");
            dims[k] = x.shape[static_cast<int>(k)];
        }
        if (dims[k] == -1) {
            if (unknown >= 0) throw NodeProblem("more than one -1 in the target shape");
            unknown = static_cast<int64_t>(k);
        } else if (dims[k] <= 0) {
            throw NodeProblem("invalid target dimension " + std::to_string(dims[k]));
        } else {
            known *= dims[k];
        }
    }
    if (unknown >= 0) dims[static_cast<size_t>(unknown)] = x.shape.elements() / known;
    Params p;
    p.set("shape", list(dims));
    p.set("sequence", n.doc_string() == "netloom:sequence");
    c.produce(n.output(0), c.outputOf(c.addLayer("Reshape", n.name(), p, {x})));
}

void resize(Context& c, int i) {
    const onnx::NodeProto& n = c.node(i);
    const Value x = c.input(n, 0);
    requireImage(x, n.op_type().c_str());
    std::vector<float> scales;
    const int scalesInput = n.op_type() == "Upsample" ? 1 : 2;
    if (c.hasInput(n, scalesInput)) {
        const Constant& s = c.requireConstant(n, scalesInput, "the scales");
        scales = s.floats;
    }
    if (scales.empty() && n.op_type() == "Resize" && c.hasInput(n, 3)) {
        const Constant& sizes = c.requireConstant(n, 3, "the sizes");
        if (sizes.ints.size() == 4)
            for (int k = 0; k < 4; ++k)
                scales.push_back(
                    k < 1 ? 1.0f
                          : static_cast<float>(sizes.ints[static_cast<size_t>(k)]) /
                                static_cast<float>(k == 1 ? x.shape[0] : x.shape[k - 1]));
    }
    if (scales.size() != 4 || scales[0] != 1 || scales[1] != 1 || scales[2] != scales[3] ||
        scales[2] != std::round(scales[2]) || scales[2] < 1)
        throw NodeProblem("only equal whole scale factors on height and width are supported");
    const std::string mode = attrString(n, "mode", "nearest");
    const std::string coords = attrString(n, "coordinate_transformation_mode", "half_pixel");
    Params p;
    p.set("scale_factor", static_cast<int64_t>(scales[2]));
    const bool halfPixel = coords == "half_pixel" || coords == "pytorch_half_pixel";
    if (mode == "nearest") {
        const std::string rounding = attrString(n, "nearest_mode", "round_prefer_floor");
        // With whole factors, asymmetric+floor and half-pixel+rounding pick the same pixels.
        if (!(n.op_type() == "Upsample" || (coords == "asymmetric" && rounding == "floor") ||
              (halfPixel && rounding.rfind("round_prefer", 0) == 0)))
            throw NodeProblem("nearest resize with " + coords + "/" + rounding +
                              " is not supported");
        p.set("mode", std::string("nearest"));
    } else if (mode == "linear" && halfPixel) {
        p.set("mode", std::string("bilinear"));
    } else {
        throw NodeProblem("resize mode '" + mode + "' with " + coords + " is not supported");
    }
    c.produce(n.output(0), c.outputOf(c.addLayer("Upsample", n.name(), p, {x})));
}

Params alphaParams(const onnx::NodeProto& n, float def) {
    Params p;
    p.set("alpha", tidy(attrFloat(n, "alpha", def)));
    return p;
}

}  // namespace

const std::map<std::string, Converter>& converters() {
    static const std::map<std::string, Converter> table = [] {
        std::map<std::string, Converter> t{
            {"Gemm", gemm},
            {"MatMul", matmul},
            {"Conv", conv},
            {"ConvTranspose", convTranspose},
            {"MaxPool", [](Context& c, int i) { pool(c, i, "MaxPool2D"); }},
            {"AveragePool", [](Context& c, int i) { pool(c, i, "AvgPool2D"); }},
            {"GlobalAveragePool", globalAvgPool},
            {"BatchNormalization", batchNorm},
            {"Relu", simple("ReLU")},
            {"LeakyRelu", simple("LeakyReLU", [](const auto& n) { return alphaParams(n, 0.01f); })},
            {"Elu", simple("ELU", [](const auto& n) { return alphaParams(n, 1.0f); })},
            {"Sigmoid", simple("Sigmoid")},
            {"Tanh", simple("Tanh")},
            {"Softmax", softmax},
            {"Div", div},
            // Erf and Mul occur only inside the GELU pattern that Div starts (consumed there).
            {"Erf",
             [](Context&, int) { throw NodeProblem("Erf is only supported as part of GELU"); }},
            {"Mul",
             [](Context&, int) { throw NodeProblem("Mul is only supported as part of GELU"); }},
            {"Dropout", dropout},
            {"Identity", identity},
            {"Pad", pad},
            {"Add", sum},
            {"Sum", sum},
            {"Concat", concat},
            {"Flatten", flatten},
            {"Reshape", reshape},
            {"Resize", resize},
            {"Upsample", resize},
        };
        addSequenceConverters(t);
        addTransformerConverters(t);
        return t;
    }();
    return table;
}

}  // namespace netloom::engine::onnximport
