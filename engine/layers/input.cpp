// Input: where a batch enters the network. Its output is the batch itself; it runs as the shared
// source layer (pass_through.h), like Noise.
#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pass_through.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: the graph's input.
const OnnxHookFn kInputOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    out.addGraphInput(n.outputs[0], n.outputShapes[0], "");
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kInputPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"", "{x}", {}};
});
// ---- end of PyTorch export ----

class InputDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Input"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kInputOnnx;
        if (format == kPyTorchFormat) return &kInputPyTorch;
        return nullptr;
    }
    std::string category() const override { return "Input"; }
    std::string description() const override {
        return "Where data enters the network. Its shape is one sample's shape, e.g. 1,28,28 "
               "for a grey 28×28 image or 2 for a point in the plane.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::shape("shape", "Shape", "1,28,28",
                                 "Shape of one sample: channels,height,width for images, or "
                                 "the number of features")};
    }
    int minInputs(const Params&) const override { return 0; }
    Shape inferShape(const std::vector<Shape>&, const Params& p) const override {
        return parseShape(p.getString("shape"));
    }
    int64_t flops(const std::vector<Shape>&, const Shape&, const Params&) const override {
        return 0;
    }
    std::vector<Shape> exampleInputs(const Params&) const override { return {}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return makeSourceLayer();
    }
};

}  // namespace

const LayerDef& inputLayerDef() {
    static const InputDef def;
    return def;
}

}  // namespace netloom::engine
