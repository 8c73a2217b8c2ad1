// GELU: y = x·Φ(x) with the exact erf form (PyTorch's default, approximate='none'), on oneDNN's
// eltwise. It has no use-dst variant, so the gradient is computed from the input.
#include "engine/layers/eltwise_layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: the Gelu op needs opset 20, so the exact form x·½·(1 + erf(x/√2)) as
// Div, Erf, Add, Mul, Mul (the node sequence PyTorch writes, which the importer recognizes).
const OnnxHookFn kGeluOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const std::string& x = n.inputs[0];
    const std::string scaled = out.freshName(n.name + ".scaled"),
                      erf = out.freshName(n.name + ".erf"), plus = out.freshName(n.name + ".plus"),
                      product = out.freshName(n.name + ".product");
    out.addNode("Div", {x, out.addFloats(n.name + ".sqrt2", {}, {1.41421356237f})}, {scaled});
    out.addNode("Erf", {scaled}, {erf});
    out.addNode("Add", {erf, out.addFloats(n.name + ".one", {}, {1.0f})}, {plus});
    out.addNode("Mul", {x, plus}, {product});
    out.addNode("Mul", {product, out.addFloats(n.name + ".half", {}, {0.5f})}, {n.outputs[0]});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kGeluPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"nn.GELU()", "{m}({0})", {}};
});
// ---- end of PyTorch export ----

class GeluDef final : public ActivationDef {
public:
    std::string type() const override { return "GELU"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kGeluOnnx;
        if (format == kPyTorchFormat) return &kGeluPyTorch;
        return nullptr;
    }
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
