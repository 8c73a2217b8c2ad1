// Reshape: reinterprets a sample as another shape with the same number of values (row-major, as
// in PyTorch's view); the shared copy layer (pass_through.h) runs it. With "sequence" the first
// axis of the new shape becomes a sequence (time/token) axis: 784 → 28×28 (seq).
#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pass_through.h"
#include "engine/layers/pytorch_export_hook.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: Reshape to {-1 (the batch), shape...}. The sequence mark has no ONNX
// counterpart: the node's doc_string keeps it for the importer.
const OnnxHookFn kReshapeOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    std::vector<int64_t> dims{-1};
    for (int64_t d : n.outputShapes[0].dims) dims.push_back(d);
    const std::string shape =
        out.addInt64s(n.name + ".shape", {static_cast<int64_t>(dims.size())}, dims);
    out.addNode("Reshape", {n.inputs[0], shape}, {n.outputs[0]}, {},
                n.params.getBool("sequence") ? "netloom:sequence" : "");
});
// ---- PyTorch export (engine/export/pytorch_*): the module, forward line and tensor names ----
const PyTorchExportHook kReshapePyTorch([](const PyTorchNode& n) {
    std::string dims;
    for (int64_t d : n.outputs[0].dims) dims += ", " + std::to_string(d);
    return PyTorchModule{"", "{0}.reshape({0}.shape[0]" + dims + ")", {}};
});
// ---- end of PyTorch export ----

class ReshapeDef final : public SingleOutputDef {
public:
    std::string type() const override { return "Reshape"; }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kReshapeOnnx;
        if (format == kPyTorchFormat) return &kReshapePyTorch;
        return nullptr;
    }
    std::string displayName() const override { return "Reshape"; }
    std::string category() const override { return "Core"; }
    std::string description() const override {
        return "Arranges the same numbers into a new shape, e.g. 784 values into a 1×28×28 "
               "image; the number of values must stay the same.";
    }
    ParamSchema schema() const override {
        return {ParamSpec::shape("shape", "Target shape", "1,28,28",
                                 "New shape of one sample, e.g. 1,28,28 or 64,7,7; it must "
                                 "hold as many values as the input"),
                ParamSpec::boolean("sequence", "Sequence", false,
                                   "Treat the first axis of the new shape as a sequence (time "
                                   "or token) axis: Dense then works on each step")};
    }
    Shape inferShape(const std::vector<Shape>& in, const Params& p) const override {
        Shape target = parseShape(p.getString("shape"));
        if (target.elements() != in[0].elements())
            throw Error("cannot reshape " + std::to_string(in[0].elements()) + " values into " +
                        target.toString() + " (" + std::to_string(target.elements()) + " values)");
        if (p.getBool("sequence")) {
            if (target.rank() < 2)
                throw Error("a sequence needs at least two axes (steps × features), got " +
                            target.toString() + ": use a shape such as 28,28");
            target.sequence = true;
        }
        return target;
    }
    int64_t parameterCount(const std::vector<Shape>&, const Params&) const override { return 0; }
    std::vector<Shape> exampleInputs(const Params& p) const override {
        return {Shape{parseShape(p.getString("shape")).elements()}};
    }
    std::vector<LayerExample> examples() const override {
        std::vector<LayerExample> rows = SingleOutputDef::examples();
        Params seq = rows.front().params;
        seq.set("shape", std::string("4,3"));
        seq.set("sequence", true);
        rows.push_back({"sequence", seq, {Shape{12}}});
        return rows;
    }
    std::unique_ptr<Layer> create(const std::vector<Shape>&, const Params&) const override {
        return makeCopyLayer();
    }
};

}  // namespace

const LayerDef& reshapeLayerDef() {
    static const ReshapeDef def;
    return def;
}

}  // namespace netloom::engine
