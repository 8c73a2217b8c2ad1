// ELU: y = x for x > 0, alpha·(eˣ − 1) otherwise, on oneDNN's eltwise (gradient from the output).
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kEluOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Elu", n, out, {{"alpha", onnxFloat(n.params, "alpha")}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kEluPyTorch([](const PyTorchNode& n) {
    return PyTorchModule{"nn.ELU(" + pyFloat(n.params.getFloat("alpha")) + ")", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class EluDef final : public ActivationDef {
public:
    std::string type() const override { return "ELU"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kEluOnnx;
        if (format == kPyTorchFormat) return &kEluPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "ELU"; }
    std::string description() const override {
        return "Keeps positive values and smoothly bends negative ones towards -alpha; a smooth "
               "alternative to ReLU.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::real("alpha", "Alpha", 1.0, 0.0, 10.0,
                                "Value that very negative inputs approach (as -alpha)")};
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params& p) const override {
        return makeEltwiseLayer(in[0], dnnl::algorithm::eltwise_elu_use_dst_for_bwd,
                                static_cast<float>(p.getFloat("alpha")));
    }

protected:
    int64_t flopsPerElement() const override { return 3; }
};

}  // namespace

const LayerDef& eluLayerDef() {
    static const EluDef def;
    return def;
}

}  // namespace netloom::engine
