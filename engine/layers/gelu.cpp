// GELU: y = x·Φ(x) with the exact erf form (PyTorch's default, approximate='none'), on oneDNN's
// eltwise. It has no use-dst variant, so the gradient is computed from the input.
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kGeluPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"nn.GELU()", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class GeluDef final : public ActivationDef {
public:
    const LayerExportHook* exportHook(std::string_view format) const override {
        return format == kPyTorchFormat ? &kGeluPyTorch : nullptr;  // PyTorch export
    }
    std::string type() const override { return "GELU"; }
    std::string displayName() const override { return "GELU"; }
    std::string description() const override {
        return "A smooth version of ReLU that lets small negative values through a little; the "
               "activation used in Transformers.";
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_gelu_erf);
    }

protected:
    int64_t flopsPerElement() const override { return 8; }
};

}  // namespace

const LayerDef& geluLayerDef() {
    static const GeluDef def;
    return def;
}

}  // namespace netloom::engine
