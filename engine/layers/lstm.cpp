// LSTM on oneDNN's lstm primitives (rnn_common.h): gates i, f, g, o in PyTorch's order, which is
// also oneDNN's; outputs the sequence or last step, the final hidden state h and cell state c.
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/rnn_common.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: ONNX LSTM nodes, one per stacked layer, written by writeRecurrentOnnx
// (rnn_common.cpp) with this kind's cell.
const OnnxHookFn kLstmOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    writeRecurrentOnnx(RecurrentCell::Lstm, n, out);
});

// ---- PyTorch export: nn.LSTM(batch_first=True), written by recurrentPyTorchModule.
const PyTorchExportHook kLstmPyTorch([](const PyTorchNode& n) {
    return recurrentPyTorchModule(RecurrentCell::Lstm, n);
});

class LstmDef final : public RecurrentDef {
public:
    std::string type() const override { return "LSTM"; }
    std::string description() const override {
        return "Long short-term memory: reads a sequence step by step, keeping a hidden state and "
               "a cell state that gates decide to keep, forget or update, so it can remember over "
               "long spans. Outputs the last step (or every step), plus the final hidden state h "
               "and cell state c.";
    }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kLstmOnnx;
        if (format == kPyTorchFormat) return &kLstmPyTorch;
        return nullptr;
    }
    RecurrentCell cell(const Params&) const override { return RecurrentCell::Lstm; }
};

}  // namespace

const LayerDef& lstmLayerDef() {
    static const LstmDef def;
    return def;
}

}  // namespace netloom::engine
