// LastStep: a sequence {T, F} → its last step {F} (what a recurrent layer's "last step" mode
// gives, for sequences from elsewhere, e.g. a per-step Dense). Backward puts the gradient into
// step T − 1 and zeros elsewhere.
#include <algorithm>
#include <cstring>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

class LastStepLayer final : public SingleOutputLayer {
public:
    LastStepLayer(int64_t steps, int64_t features) : m_steps(steps), m_features(features) {}
    void prepare(int64_t, ComputeContext&) override {}
    void forward(const std::vector<const Tensor*>& in, Tensor& out, bool) override {
        const int64_t n = in[0]->batch(), f = m_features;
        for (int64_t b = 0; b < n; ++b)
            std::memcpy(out.data() + b * f, in[0]->data() + (b * m_steps + m_steps - 1) * f,
                        sizeof(float) * size_t(f));
    }
    void backward(const std::vector<const Tensor*>&, const Tensor&, const Tensor& gradOut,
                  const std::vector<Tensor*>& gradIn) override {
        if (gradIn.empty() || !gradIn[0]) return;
        Tensor& dx = *gradIn[0];
        dx.zero();
        const int64_t n = dx.batch(), f = m_features;
        for (int64_t b = 0; b < n; ++b)
            std::memcpy(dx.data() + (b * m_steps + m_steps - 1) * f, gradOut.data() + b * f,
                        sizeof(float) * size_t(f));
    }

private:
    int64_t m_steps, m_features;
};

// ---- ONNX export: Gather of index T − 1 on the time axis (a scalar index drops the axis).
const OnnxHookFn kLastStepOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const std::string last = out.addInt64s(n.name + ".last", {}, {n.inputShapes.at(0)[0] - 1});
    out.addNode("Gather", {n.inputs.at(0), last}, {n.outputs.at(0)}, {{"axis", int64_t{1}}});
});

// ---- PyTorch export: the last step, an expression.
const PyTorchExportHook kLastStepPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"", "{0}[:, -1]", {}};
});

class LastStepDef final : public SingleOutputDef {
public:
    std::string type() const override { return "LastStep"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kLastStepOnnx;
        if (format == kPyTorchFormat) return &kLastStepPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Last Step"; }
    std::string category() const override { return "Recurrent"; }
    std::string description() const override {
        return "Keeps only the last step of a sequence (steps × features → features), e.g. to "
               "classify a whole sequence from its final state.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        if (!in[0].sequence || in[0].rank() != 2)
            throw Error("expects a sequence (steps × features), got " + in[0].toString());
        return Shape{in[0][1]};
    }
    int64_t flops(const std::vector<Shape>&, const Shape&, const Params&) const override {
        return 0;
    }
    std::vector<Shape> exampleInputs(const Params&) const override {
        return {Shape::sequenceOf({4, 3})};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return std::make_unique<LastStepLayer>(in[0][0], in[0][1]);
    }
};

}  // namespace

const LayerDef& lastStepLayerDef() {
    static const LastStepDef def;
    return def;
}

}  // namespace netloom::engine
