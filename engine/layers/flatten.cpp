// Flatten: any sample shape → {elements} (a sequence mark is dropped). The data is already
// row-major, so the layer is the shared copy layer (pass_through.h).
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pass_through.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export
const OnnxHookFn kFlattenOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    emitSingleOnnxNode("Flatten", n, out, {{"axis", int64_t{1}}});
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kFlattenPyTorch([](const PyTorchNode&) {
    return PyTorchModule{"", "{0}.flatten(1)", {}};
});
// ---- end of PyTorch export ----

class FlattenDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Flatten"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kFlattenOnnx;
        if (format == kPyTorchFormat) return &kFlattenPyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Flatten"; }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Lays an image (channels × height × width) out as one long row of numbers, so a "
               "Dense layer can follow.";
    }
    Shape inferShape(const std::vector<Shape>& in, const Params&) const override {
        return Shape{in[0].elements()};
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    std::vector<Shape> exampleInputs(const Params&) const override { return {Shape{2, 3, 4}}; }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return makeCopyLayer();
    }
};

}  // namespace

const LayerDef& flattenLayerDef() {
    static const FlattenDef def;
    return def;
}

}  // namespace netloom::engine
