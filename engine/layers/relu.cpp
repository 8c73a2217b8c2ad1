// ReLU: y = max(0, x), on oneDNN's eltwise (the gradient is taken from the output).
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kReluOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Relu", n, out);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kReluPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"nn.ReLU()", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class ReluDef final : public ActivationDef {
public:
    std::string type() const override { return "ReLU"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kReluOnnx;
        if (format == kPyTorchFormat) return &kReluPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "ReLU"; }
    std::string description() const override {
        return "Keeps positive values and turns negative ones into zero; the usual activation "
               "after a Dense or Conv2D layer.";
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_relu_use_dst_for_bwd);
    }
};

}  // namespace

const LayerDef& reluLayerDef() {
    static const ReluDef def;
    return def;
}

}  // namespace netloom::engine
