// Dropout: during training, zeroes each value with probability `rate` and scales the survivors
// by 1/(1 − rate) ("inverted" dropout), so inference is the identity and needs no rescaling.
// The mask comes from the compute context's seeded Rng, so runs are reproducible.
#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class DropoutLayer final : public SingleOutputLayer {
public:
    explicit DropoutLayer(float rate) : m_rate(rate) {}

    void prepare(int64_t, ComputeContext& ctx) override { m_ctx = &ctx; }

    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool training) override {
        const Tensor& x = *in[0];
        const float* src = x.data();
        float* dst = out.data();
        const int64_t n = out.size();
        m_masked = training && m_rate > 0.0f;
        if (!m_masked) {
            if (src != dst) std::copy(src, src + n, dst);
            return;
        }
        // The mask holds the factor each value was multiplied by: 0 or 1/(1 − rate).
        m_mask.resize(x.dims());
        const float keep = 1.0f / (1.0f - m_rate);
        Rng& rng = m_ctx->rng;
        for (int64_t i = 0; i < n; ++i) m_mask[i] = rng.uniform() < m_rate ? 0.0f : keep;
        for (int64_t i = 0; i < n; ++i) dst[i] = src[i] * m_mask[i];
    }

    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;
        const float* g = gradOut.data();
        float* dx = gradIn[0]->data();
        const int64_t n = gradOut.size();
        if (!m_masked) {
            std::copy(g, g + n, dx);
            return;
        }
        if (m_mask.size() != n)
            throw Error("Dropout: backward called with a batch that differs from the forward one");
        for (int64_t i = 0; i < n; ++i) dx[i] = g[i] * m_mask[i];
    }

private:
    float m_rate;
    ComputeContext* m_ctx = nullptr;
    Tensor m_mask;
    bool m_masked = false;  // whether the last forward applied a mask
};

// ---- ONNX export: Dropout with its ratio; runtimes run it as the identity (inference).
const OnnxHookFn kDropoutOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const std::string ratio = out.addFloats(n.name + ".ratio", {}, {onnxFloat(n.params, "rate")});
    out.addNode("Dropout", {n.inputs[0], ratio}, {n.outputs[0]});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kDropoutPyTorch([](const PyTorchNode& n) {
    return PyTorchModule{
        "nn.Dropout(p=" + pyFloat(n.params.getFloat("rate")) + ")", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class DropoutDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Dropout"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kDropoutOnnx;
        if (format == kPyTorchFormat) return &kDropoutPyTorch;
        return nullptr;
    }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "While training, randomly switches off a fraction of the values so the network "
               "cannot rely on any single one; does nothing when predicting.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::real("rate", "Rate", 0.5, 0.0, 0.95,
                                "Fraction of values set to zero during training")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override { return in[0]; }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{12}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params& p) const override {
        return std::make_unique<DropoutLayer>(static_cast<float>(p.getFloat("rate")));
    }
};

}  // namespace

const LayerDef& dropoutLayerDef() {
    static const DropoutDef def;
    return def;
}

}  // namespace netloom::engine
