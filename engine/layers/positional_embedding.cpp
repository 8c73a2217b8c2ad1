// PositionalEmbedding: adds a learned vector per position to a sequence of tokens {T, d} (the
// position table {T, d}, as in BERT and ViT), so attention, which is blind to order, can tell
// the tokens' places apart. Initialised N(0, 0.02²) like ViT's position embedding. Backward:
// the input gradient is the output gradient; the table's is its sum over the batch.
#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class PositionalEmbeddingLayer final : public SingleOutputLayer {
public:
    PositionalEmbeddingLayer(int64_t steps, int64_t dim) : m_elements(steps * dim) {
        m_weight.name = "weight";
        m_weight.value.resize({steps, dim});
        m_weight.grad.resize({steps, dim});
        m_weight.value.zero();
        m_weight.decay = false;  // like timm's pos_embed: no weight decay
    }

    void prepare(int64_t, ComputeContext&) override {}

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const float* w = m_weight.value.data();
        for (int64_t b = 0; b < in[0]->batch(); ++b) {
            const float* x = in[0]->data() + b * m_elements;
            float* y = out.data() + b * m_elements;
            for (int64_t i = 0; i < m_elements; ++i) y[i] = x[i] + w[i];
        }
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        m_weight.grad.zero();
        float* gw = m_weight.grad.data();
        for (int64_t b = 0; b < in[0]->batch(); ++b) {
            const float* g = gradOut.data() + b * m_elements;
            for (int64_t i = 0; i < m_elements; ++i) gw[i] += g[i];
        }
        if (!gradIn.empty() && gradIn[0])
            std::copy(gradOut.data(), gradOut.data() + gradOut.size(), gradIn[0]->data());
    }

    std::vector<Parameter*> parameters() override { return {&m_weight}; }

    void initialize(Rng& rng, InitScheme) override {
        for (int64_t i = 0; i < m_weight.value.size(); ++i)
            m_weight.value[i] = 0.02f * rng.normal();
    }

private:
    int64_t m_elements;
    Parameter m_weight;
};

// ---- ONNX export: an Add of the table (broadcast over the batch); the doc string tells the
// importer it is this layer and not a residual Add.
const OnnxHookFn kPositionalEmbeddingOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const Tensor& w = n.weight("weight");
    out.addNode(
        "Add",
        {n.inputs[0], out.addFloats(n.name + ".weight", {w.dim(0), w.dim(1)}, onnxValues(w))},
        {n.outputs[0]}, {}, "netloom:PositionalEmbedding");
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kPositionalEmbeddingPyTorch([](const PyTorchNode& n) {
    // nn.Embedding(T, d) only holds the {T, d} table (weight), added as a whole.
    return PyTorchModule{"nn.Embedding(" + std::to_string(n.inputs[0][0]) + ", " +
                             std::to_string(n.inputs[0][1]) + ")",
                         "{0} + {m}.weight",
                         {{"weight", "weight"}}};
});
// ---- end of PyTorch export ----

class PositionalEmbeddingDef final : public SingleOutputDef {
public:
    std::string type() const override { return "PositionalEmbedding"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kPositionalEmbeddingOnnx;
        if (format == kPyTorchFormat) return &kPositionalEmbeddingPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Positional Embedding"; }
    std::string category() const override { return "Attention"; }
    std::string description() const override {
        return "Adds a learned vector to each position of a token sequence, so attention can "
               "tell the first token from the last (the position embedding of BERT and ViT).";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        requireTokens(in[0]);
        return in[0];
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params&) const override {
        return in[0].elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({4, 3})};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        requireTokens(in[0]);
        return std::make_unique<PositionalEmbeddingLayer>(in[0][0], in[0][1]);
    }

private:
    static void requireTokens(const Shape& s) {
        if (!s.sequence || s.rank() != 2)
            throw Error("expects tokens (steps × features), got " + s.toString() +
                        ": feed it from Patch Embedding, Embedding or a Reshape with 'sequence'");
    }
};

}  // namespace

const LayerDef& posEmbeddingLayerDef() {
    static const PositionalEmbeddingDef def;
    return def;
}

}  // namespace netloom::engine
