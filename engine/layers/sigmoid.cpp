// Sigmoid: y = 1 / (1 + e⁻ˣ), on oneDNN's eltwise (logistic; the gradient y·(1 − y) uses the
// output).
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kSigmoidOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Sigmoid", n, out);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kSigmoidPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"nn.Sigmoid()", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class SigmoidDef final : public ActivationDef {
public:
    std::string type() const override { return "Sigmoid"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kSigmoidOnnx;
        if (format == kPyTorchFormat) return &kSigmoidPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Sigmoid"; }
    std::string description() const override {
        return "Squashes every value into the range 0 to 1; used for probabilities and for "
               "pixel outputs of an autoencoder.";
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_logistic_use_dst_for_bwd);
    }

protected:
    int64_t flopsPerElement() const override { return 4; }
};

}  // namespace

const LayerDef& sigmoidLayerDef() {
    static const SigmoidDef def;
    return def;
}

}  // namespace netloom::engine
