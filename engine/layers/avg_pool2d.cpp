// AvgPool2D: averages each window. With padding "same" the zeros added at the border are left
// out of the average (PyTorch's count_include_pad=False, TensorFlow's behaviour).
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pool_layer.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: AveragePool that, like ours, divides by the values inside the image only.
const OnnxHookFn kAvgPoolOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    OnnxAttributes a =
        detail::onnxPoolAttributes(detail::WindowPoolDef::geometry(n.inputShapes[0], n.params));
    a["count_include_pad"] = int64_t{0};
    emitSingleOnnxNode("AveragePool", n, out, a);
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kAvgPool2DPyTorch([](const PyTorchNode& n) {
    // Padding is left out of the average (count_include_pad=False). An uneven "same" padding:
    // the sum over the padded input divided by the number of real values in each window.
    const detail::PoolGeometry g = detail::WindowPoolDef::geometry(n.inputs[0], n.params);
    const std::string k = std::to_string(g.kernelH), s = std::to_string(g.strideH);
    if (g.y.padBefore == g.y.padAfter && g.x.padBefore == g.x.padAfter)
        return PyTorchModule{"nn.AvgPool2d(" + k + ", stride=" + s +
                                 pyPaddingArg(g.y.padBefore, g.x.padBefore) +
                                 ", count_include_pad=False)",
                             "{m}({0})",
                             {}};
    const std::string pad = "(" + std::to_string(g.x.padBefore) + ", " +
                            std::to_string(g.x.padAfter) + ", " + std::to_string(g.y.padBefore) +
                            ", " + std::to_string(g.y.padAfter) + ")";
    return PyTorchModule{"",
                         "F.avg_pool2d(F.pad({0}, " + pad + "), " + k + ", " + s +
                             ") / F.avg_pool2d(F.pad(torch.ones_like({0}[:, :1]), " + pad + "), " +
                             k + ", " + s + ")",
                         {}};
});
// ---- end of PyTorch export ----

class AvgPool2DDef final : public detail::WindowPoolDef {
public:
    std::string type() const override { return "AvgPool2D"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kAvgPoolOnnx;
        if (format == kPyTorchFormat) return &kAvgPool2DPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Average Pool 2D"; }
    std::string description() const override {
        return "Shrinks an image by replacing each small window with the average of its values, "
               "a smooth way to reduce size.";
    }
    dnnl::algorithm poolAlgorithm() const override {
        return dnnl::algorithm::pooling_avg_exclude_padding;
    }
};

}  // namespace

const LayerDef& avgPool2dLayerDef() {
    static const AvgPool2DDef def;
    return def;
}

}  // namespace netloom::engine
