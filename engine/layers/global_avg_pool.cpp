// GlobalAvgPool: averages each channel over the whole image, C×H×W → C. A pooling window as large
// as the image, so oneDNN's pooling forward and backward do the work.
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pool_layer.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: GlobalAveragePool gives N×C×1×1; Flatten makes it our N×C.
const OnnxHookFn kGlobalAvgPoolOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    const std::string pooled = out.freshName(n.name + ".pooled");
    out.addNode("GlobalAveragePool", {n.inputs[0]}, {pooled});
    out.addNode("Flatten", {pooled}, {n.outputs[0]}, {{"axis", int64_t{1}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kGlobalAvgPoolPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"", "{0}.mean(dim=(2, 3))", {}};
});
// ---- end of PyTorch export ----

class GlobalAvgPoolDef final : public SingleOutputDef {
public:
    std::string type() const override { return "GlobalAvgPool"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kGlobalAvgPoolOnnx;
        if (format == kPyTorchFormat) return &kGlobalAvgPoolPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Global Average Pool"; }
    std::string category() const override { return "Pooling"; }
    std::string description() const override {
        return "Averages each channel over the whole image, turning C×H×W into C numbers; a "
               "light replacement for Flatten before the final Dense layer.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        spatial::requireImage(in[0]);
        return Shape{in[0][0]};
    }
    int64_t flops(const std::vector<Shape>& in, const Shape&, const Params&) const override {
        return in[0].elements();
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{3, 4, 5}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>& in, const Params&) const override {
        spatial::requireImage(in[0]);
        detail::PoolGeometry g;
        g.channels = in[0][0];
        g.inH = g.kernelH = in[0][1];
        g.inW = g.kernelW = in[0][2];
        g.strideH = g.strideW = 1;
        g.y.out = g.x.out = 1;
        return std::make_unique<detail::PoolLayer>(g, dnnl::algorithm::pooling_avg_exclude_padding);
    }
};

}  // namespace

const LayerDef& globalAvgPoolLayerDef() {
    static const GlobalAvgPoolDef def;
    return def;
}

}  // namespace netloom::engine
