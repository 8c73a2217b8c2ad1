// MaxPool2D: keeps the largest value of each window, shrinking the image while keeping the
// strongest responses. Geometry and the oneDNN layer are shared with AvgPool2D (pool_layer.h).
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pool_layer.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: MaxPool with explicit pads.
const OnnxHookFn kMaxPoolOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode(
        "MaxPool", n, out,
        detail::onnxPoolAttributes(detail::WindowPoolDef::geometry(n.inputShapes[0], n.params)));
});

class MaxPool2DDef final : public detail::WindowPoolDef {
public:
    std::string type() const override { return "MaxPool2D"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kMaxPoolOnnx;
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
