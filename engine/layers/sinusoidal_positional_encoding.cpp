// SinusoidalPositionalEncoding: adds the fixed sine/cosine position code of Vaswani et al.
// ("Attention Is All You Need", §3.5; the PyTorch tutorial's PositionalEncoding without its
// dropout) to a sequence of tokens {T, d}:
//   PE[t, 2i] = sin(t / 10000^(2i/d)),   PE[t, 2i+1] = cos(t / 10000^(2i/d)).
// No parameters; the gradient passes through unchanged. An odd d ends with a sine column.
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// The {steps, dim} table, computed in double and rounded once.
std::vector<float> sinusoidTable(int64_t steps, int64_t dim) {
    std::vector<float> pe(static_cast<size_t>(steps * dim));
    for (int64_t t = 0; t < steps; ++t)
        for (int64_t j = 0; j < dim; ++j) {
            const int64_t even = j - j % 2;  // 2i
            const double angle =
                static_cast<double>(t) *
                std::exp(-std::log(10000.0) * static_cast<double>(even) / static_cast<double>(dim));
            pe[static_cast<size_t>(t * dim + j)] =
                static_cast<float>(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    return pe;
}

class SinusoidalLayer final : public SingleOutputLayer {
public:
    SinusoidalLayer(int64_t steps, int64_t dim) : m_table(sinusoidTable(steps, dim)) {}

    void prepare(int64_t, ComputeContext&) override {}

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const int64_t e = static_cast<int64_t>(m_table.size());
        for (int64_t b = 0; b < in[0]->batch(); ++b) {
            const float* x = in[0]->data() + b * e;
            float* y = out.data() + b * e;
            for (int64_t i = 0; i < e; ++i) y[i] = x[i] + m_table[static_cast<size_t>(i)];
        }
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (!gradIn.empty() && gradIn[0])
            std::copy(gradOut.data(), gradOut.data() + gradOut.size(), gradIn[0]->data());
    }

private:
    std::vector<float> m_table;
};

// ---- ONNX export: an Add of the table as a constant; the doc string names the layer for the
// importer.
const OnnxHookFn kSinusoidalOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const int64_t t = n.inputShapes[0][0], d = n.inputShapes[0][1];
    out.addNode("Add", {n.inputs[0], out.addFloats(n.name + ".table", {t, d}, sinusoidTable(t, d))},
                {n.outputs[0]}, {}, "netloom:SinusoidalPositionalEncoding");
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kSinusoidalPyTorch([](const PyTorchNode& n) {
    // The tutorial's table as one expression: sin and cos of t·w_i interleaved, cut to d.
    const int64_t t = n.inputs[0][0], d = n.inputs[0][1];
    const std::string angles = "(torch.arange(" + std::to_string(t) +
                               ", dtype=torch.float64)[:, None] * torch.exp(torch.arange(0, " +
                               std::to_string(d) + ", 2, dtype=torch.float64) * (" +
                               pyFloat(-std::log(10000.0) / static_cast<double>(d)) + ")))";
    return PyTorchModule{"",
                         "{0} + torch.stack([torch.sin(" + angles + "), torch.cos(" + angles +
                             ")], -1).flatten(1)[:, :" + std::to_string(d) + "].to({0})",
                         {}};
});
// ---- end of PyTorch export ----

class SinusoidalDef final : public SingleOutputDef {
public:
    std::string type() const override { return "SinusoidalPositionalEncoding"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kSinusoidalOnnx;
        if (format == kPyTorchFormat) return &kSinusoidalPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Sinusoidal Position"; }
    std::string category() const override { return "Attention"; }
    std::string description() const override {
        return "Adds a fixed pattern of sines and cosines to each position of a token sequence "
               "(the original Transformer's positional encoding): no parameters, position "
               "information for attention.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (!in[0].sequence || in[0].rank() != 2)
            throw Error("expects tokens (steps × features), got " + in[0].toString() +
                        ": feed it from Patch Embedding, Embedding or a Reshape with 'sequence'");
        return in[0];
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({5, 4})};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        inferShape(in, p);
        return std::make_unique<SinusoidalLayer>(in[0][0], in[0][1]);
    }
};

}  // namespace

const LayerDef& sinePositionLayerDef() {
    static const SinusoidalDef def;
    return def;
}

}  // namespace netloom::engine
