// GRU on oneDNN's lbr_gru primitives (rnn_common.h), the variant PyTorch's nn.GRU computes
// (reset gate applied after the hidden matrix product); outputs the sequence or last step and
// the final hidden state h.
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/rnn_common.h"

namespace netloom::engine {
namespace {

// ---- ONNX export: ONNX GRU nodes, one per stacked layer, written by writeRecurrentOnnx
// (rnn_common.cpp) with this kind's cell.
const OnnxHookFn kGruOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    writeRecurrentOnnx(RecurrentCell::Gru, n, out);
});

// ---- PyTorch export: nn.GRU(batch_first=True), written by recurrentPyTorchModule.
const PyTorchExportHook kGruPyTorch([](const PyTorchNode& n) {
    return recurrentPyTorchModule(RecurrentCell::Gru, n);
});

class GruDef final : public RecurrentDef {
public:
    std::string type() const override { return "GRU"; }
    std::string description() const override {
        return "Gated recurrent unit: reads a sequence step by step; an update gate decides how "
               "much of the hidden state to keep and a reset gate how much of it shapes the new "
               "candidate. Lighter than LSTM. Outputs the last step (or every step) and the final "
               "hidden state h.";
    }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kGruOnnx;
        if (format == kPyTorchFormat) return &kGruPyTorch;
        return nullptr;
    }
    RecurrentCell cell(const Params&) const override { return RecurrentCell::Gru; }
};

}  // namespace

const LayerDef& gruLayerDef() {
    static const GruDef def;
    return def;
}

}  // namespace netloom::engine
