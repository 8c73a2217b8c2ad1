// Tanh: y = tanh(x), on oneDNN's eltwise (the gradient 1 − y² uses the output).
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kTanhOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Tanh", n, out);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kTanhPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"nn.Tanh()", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class TanhDef final : public ActivationDef {
public:
    std::string type() const override { return "Tanh"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kTanhOnnx;
        if (format == kPyTorchFormat) return &kTanhPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Tanh"; }
    std::string description() const override {
        return "Squashes every value into the range -1 to 1; used for GAN generator outputs "
               "and in recurrent networks.";
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_tanh_use_dst_for_bwd);
    }

protected:
    int64_t flopsPerElement() const override { return 4; }
};

}  // namespace

const LayerDef& tanhLayerDef() {
    static const TanhDef def;
    return def;
}

}  // namespace netloom::engine
