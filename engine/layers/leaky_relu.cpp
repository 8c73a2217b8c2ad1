// LeakyReLU: y = x for x > 0, alpha·x otherwise (PyTorch's negative_slope), on oneDNN's eltwise.
// alpha ≥ 0 keeps the function monotonic, which lets the gradient come from the output.
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kLeakyReluOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("LeakyRelu", n, out, {{"alpha", onnxFloat(n.params, "alpha")}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kLeakyReluPyTorch([](const PyTorchNode& n) {
    return PyTorchModule{
        "nn.LeakyReLU(" + pyFloat(n.params.getFloat("alpha")) + ")", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class LeakyReluDef final : public ActivationDef {
public:
    std::string type() const override { return "LeakyReLU"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kLeakyReluOnnx;
        if (format == kPyTorchFormat) return &kLeakyReluPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Leaky ReLU"; }
    std::string description() const override {
        return "Like ReLU, but negative values are multiplied by a small slope instead of "
               "becoming zero, so they still learn; common in GANs.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::real("alpha", "Negative slope", 0.01, 0.0, 1.0,
                                "Factor applied to negative inputs (0.2 is common in GANs)")};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_relu_use_dst_for_bwd,
                                static_cast<float>(p.getFloat("alpha")));
    }
};

}  // namespace

const LayerDef& leakyReluLayerDef() {
    static const LeakyReluDef def;
    return def;
}

}  // namespace netloom::engine
