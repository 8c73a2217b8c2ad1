// SequenceMean: a sequence {T, F} → the mean over its steps {F} (average pooling over time, a
// common way to classify from every step's output). Backward spreads gradient/T to every step.
#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class SequenceMeanLayer final : public SingleOutputLayer {
public:
    SequenceMeanLayer(int64_t steps, int64_t features) : m_steps(steps), m_features(features) {}
    void prepare(int64_t, ComputeContext&) override {}
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const int64_t n = in[0]->batch(), t = m_steps, f = m_features;
        const float inv = 1.0f / static_cast<float>(t);
        for (int64_t b = 0; b < n; ++b) {
            float* y = out.data() + b * f;
            const float* x = in[0]->data() + b * t * f;
            for (int64_t j = 0; j < f; ++j) y[j] = 0.0f;
            for (int64_t s = 0; s < t; ++s)
                for (int64_t j = 0; j < f; ++j) y[j] += x[s * f + j];
            for (int64_t j = 0; j < f; ++j) y[j] *= inv;
        }
    }
    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;
        const int64_t n = gradIn[0]->batch(), t = m_steps, f = m_features;
        const float inv = 1.0f / static_cast<float>(t);
        for (int64_t b = 0; b < n; ++b)
            for (int64_t s = 0; s < t; ++s)
                for (int64_t j = 0; j < f; ++j)
                    gradIn[0]->data()[(b * t + s) * f + j] = gradOut[b * f + j] * inv;
    }

private:
    int64_t m_steps, m_features;
};

// ---- ONNX export: ReduceMean over the time axis (opset 17: axes is an attribute).
const OnnxHookFn kSequenceMeanOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("ReduceMean", n, out,
                       {{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}});
});

// ---- PyTorch export: the mean over the time axis, an expression.
const PyTorchExportHook kSequenceMeanPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"", "{0}.mean(1)", {}};
});

class SequenceMeanDef final : public SingleOutputDef {
public:
    std::string type() const override { return "SequenceMean"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kSequenceMeanOnnx;
        if (format == kPyTorchFormat) return &kSequenceMeanPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Sequence Mean"; }
    std::string category() const override { return "Recurrent"; }
    std::string description() const override {
        return "Averages a sequence over its steps (steps × features → features), so every "
               "step's output counts, not only the last; on a Transformer's tokens it is the "
               "token mean that feeds the classifier.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (!in[0].sequence || in[0].rank() != 2)
            throw Error("expects a sequence (steps × features), got " + in[0].toString());
        return Shape{in[0][1]};
    }
    int64_t flops(const std::vector<Shape>& in, const Shape&, const Params&) const override {
        return in[0].elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({4, 3})};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return std::make_unique<SequenceMeanLayer>(in[0][0], in[0][1]);
    }
};

}  // namespace

const LayerDef& sequenceMeanLayerDef() {
    static const SequenceMeanDef def;
    return def;
}

}  // namespace netloom::engine
