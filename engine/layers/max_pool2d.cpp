// MaxPool2D: keeps the largest value of each window, shrinking the image while keeping the
// strongest responses. Geometry and the oneDNN layer are shared with AvgPool2D (pool_layer.h).
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pool_layer.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: MaxPool with explicit pads.
const OnnxHookFn kMaxPoolOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode(
        "MaxPool", n, out,
        detail::onnxPoolAttributes(detail::WindowPoolDef::geometry(n.inputShapes[0], n.params)));
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kMaxPool2DPyTorch([](const PyTorchNode& n) {
    // An uneven "same" padding is added with -inf (what max pooling pads with) by F.pad.
    const detail::PoolGeometry g = detail::WindowPoolDef::geometry(n.inputs[0], n.params);
    const std::string k = std::to_string(g.kernelH), s = std::to_string(g.strideH);
    if (g.y.padBefore == g.y.padAfter && g.x.padBefore == g.x.padAfter)
        return PyTorchModule{"nn.MaxPool2d(" + k + ", stride=" + s +
                                 pyPaddingArg(g.y.padBefore, g.x.padBefore) + ")",
                             "{m}({0})",
                             {}};
    return PyTorchModule{"nn.MaxPool2d(" + k + ", stride=" + s + ")",
                         "{m}(F.pad({0}, (" + std::to_string(g.x.padBefore) + ", " +
                             std::to_string(g.x.padAfter) + ", " + std::to_string(g.y.padBefore) +
                             ", " + std::to_string(g.y.padAfter) + "), value=float(\"-inf\")))",
                         {}};
});
// ---- end of PyTorch export ----

class MaxPool2DDef final : public detail::WindowPoolDef {
public:
    std::string type() const override { return "MaxPool2D"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kMaxPoolOnnx;
        if (format == kPyTorchFormat) return &kMaxPool2DPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Max Pool 2D"; }
    std::string description() const override {
        return "Shrinks an image by keeping only the largest value in each small window, so the "
               "strongest features survive and the network gets cheaper.";
    }
    dnnl::algorithm poolAlgorithm() const override { return dnnl::algorithm::pooling_max; }
};

}  // namespace

const LayerDef& maxPool2dLayerDef() {
    static const MaxPool2DDef def;
    return def;
}

}  // namespace netloom::engine
