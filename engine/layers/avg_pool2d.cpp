// AvgPool2D: averages each window. With padding "same" the zeros added at the border are left
// out of the average (PyTorch's count_include_pad=False, TensorFlow's behaviour).
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pool_layer.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: AveragePool that, like ours, divides by the values inside the image only.
const OnnxHookFn kAvgPoolOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    OnnxAttributes a =
        detail::onnxPoolAttributes(detail::WindowPoolDef::geometry(n.inputShapes[0], n.params));
    a["count_include_pad"] = int64_t{0};
    emitSingleOnnxNode("AveragePool", n, out, a);
});

class AvgPool2DDef final : public detail::WindowPoolDef {
public:
    std::string type() const override { return "AvgPool2D"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kAvgPoolOnnx;
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
