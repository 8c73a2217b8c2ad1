// ClassToken: prepends one learned token {1, d} to a sequence of tokens {T, d} → {T + 1, d}
// (ViT's and BERT's [CLS] token); after the attention blocks, LastStep's opposite, the first
// token, or a Sequence Mean over all tokens feeds the classifier. Initialised N(0, 0.02²).
// Backward: the token's gradient is the batch's sum at position 0, the input's the rest.
#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class ClassTokenLayer final : public SingleOutputLayer {
public:
    ClassTokenLayer(int64_t steps, int64_t dim) : m_steps(steps), m_dim(dim) {
        m_weight.name = "weight";
        m_weight.value.resize({1, dim});
        m_weight.grad.resize({1, dim});
        m_weight.value.zero();
        m_weight.decay = false;  // like timm's cls_token: no weight decay
    }

    void prepare(int64_t, ComputeContext&) override {}

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const int64_t sample = m_steps * m_dim;
        for (int64_t b = 0; b < in[0]->batch(); ++b) {
            float* y = out.data() + b * (sample + m_dim);
            std::copy(m_weight.value.data(), m_weight.value.data() + m_dim, y);
            const float* x = in[0]->data() + b * sample;
            std::copy(x, x + sample, y + m_dim);
        }
    }

    void backward(const std::vector<const Tensor*>& in, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        const int64_t sample = m_steps * m_dim;
        m_weight.grad.zero();
        float* gw = m_weight.grad.data();
        for (int64_t b = 0; b < in[0]->batch(); ++b) {
            const float* g = gradOut.data() + b * (sample + m_dim);
            for (int64_t j = 0; j < m_dim; ++j) gw[j] += g[j];
            if (!gradIn.empty() && gradIn[0])
                std::copy(g + m_dim, g + m_dim + sample, gradIn[0]->data() + b * sample);
        }
    }

    std::vector<Parameter*> parameters() override { return {&m_weight}; }

    void initialize(Rng& rng, InitScheme) override {
        for (int64_t j = 0; j < m_dim; ++j) m_weight.value[j] = 0.02f * rng.normal();
    }

private:
    int64_t m_steps, m_dim;
    Parameter m_weight;
};

// ---- ONNX export: the token {1, 1, d} Expanded to {N, 1, d} (N read with Shape + Gather) and
// Concatenated in front of the tokens on axis 1. The first node's doc string names this layer
// for the importer.
const OnnxHookFn kClassTokenOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const int64_t d = n.inputShapes[0][1];
    const std::string shape = out.freshName(n.name + ".input_shape"),
                      batch = out.freshName(n.name + ".batch"),
                      target = out.freshName(n.name + ".expand_shape"),
                      tokens = out.freshName(n.name + ".tokens");
    out.addNode("Shape", {n.inputs[0]}, {shape}, {}, "netloom:ClassToken");
    out.addNode("Gather", {shape, out.addInt64s(n.name + ".zero", {1}, {0})}, {batch},
                {{"axis", int64_t{0}}});
    out.addNode("Concat", {batch, out.addInt64s(n.name + ".one_d", {2}, {1, d})}, {target},
                {{"axis", int64_t{0}}});
    out.addNode(
        "Expand",
        {out.addFloats(n.name + ".weight", {1, 1, d}, onnxValues(n.weight("weight"))), target},
        {tokens});
    out.addNode("Concat", {tokens, n.inputs[0]}, {n.outputs[0]}, {{"axis", int64_t{1}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kClassTokenPyTorch([](const PyTorchNode& n) {
    // nn.Embedding(1, d) only holds the {1, d} token (weight), expanded over the batch.
    return PyTorchModule{"nn.Embedding(1, " + std::to_string(n.inputs[0][1]) + ")",
                         "torch.cat([{m}.weight.expand({0}.shape[0], 1, -1), {0}], 1)",
                         {{"weight", "weight"}}};
});
// ---- end of PyTorch export ----

class ClassTokenDef final : public SingleOutputDef {
public:
    std::string type() const override { return "ClassToken"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kClassTokenOnnx;
        if (format == kPyTorchFormat) return &kClassTokenPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Class Token"; }
    std::string category() const override { return "Attention"; }
    std::string description() const override {
        return "Puts one learned token in front of a token sequence (T tokens → T + 1); after "
               "attention has mixed the sequence into it, it can feed a classifier.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (!in[0].sequence || in[0].rank() != 2)
            throw Error("expects tokens (steps × features), got " + in[0].toString() +
                        ": feed it from Patch Embedding, Embedding or a Reshape with 'sequence'");
        return Shape::sequenceOf({in[0][0] + 1, in[0][1]});
    }
    int64_t parameterCount(const std::vector<Shape>& in, const Params&) const override {
        return in[0][1];
    }
    int64_t flops(const std::vector<Shape>&, const Shape&, const Params&) const override {
        return 0;  // copies only
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({3, 4})};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        inferShape(in, p);
        return std::make_unique<ClassTokenLayer>(in[0][0], in[0][1]);
    }
};

}  // namespace

const LayerDef& classTokenLayerDef() {
    static const ClassTokenDef def;
    return def;
}

}  // namespace netloom::engine
