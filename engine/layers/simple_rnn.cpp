// SimpleRNN (Elman): h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) with tanh or ReLU, as
// PyTorch's nn.RNN, on oneDNN's vanilla_rnn primitives (rnn_common.h).
#include "engine/layers/onnx_export_hook.h"
#include "engine/layers/pytorch_export_hook.h"
#include "engine/layers/rnn_common.h"

namespace netloom::engine {
namespace {

RecurrentCell cellOf(const Params& p) {
    return p.has("activation") && p.getString("activation") == "relu" ? RecurrentCell::VanillaRelu
                                                                      : RecurrentCell::VanillaTanh;
}

// ---- ONNX export: ONNX RNN nodes, one per stacked layer, written by writeRecurrentOnnx
// (rnn_common.cpp) with this kind's cell.
const OnnxHookFn kSimpleRnnOnnx([](const OnnxNodeInfo& n, OnnxEmitter& out) {
    writeRecurrentOnnx(cellOf(n.params), n, out);
});

// ---- PyTorch export: nn.RNN(batch_first=True), written by recurrentPyTorchModule.
const PyTorchExportHook kSimpleRnnPyTorch([](const PyTorchNode& n) {
    return recurrentPyTorchModule(cellOf(n.params), n);
});

class SimpleRnnDef final : public RecurrentDef {
public:
    std::string type() const override { return "SimpleRNN"; }
    std::string description() const override {
        return "Plain recurrent layer: at every step the new hidden state is an activation of the "
               "current input and the previous state. Simple and fast, but forgets over long "
               "sequences (LSTM and GRU remember longer).";
    }
    ParamSchema schema() const override {
        ParamSchema s = RecurrentDef::schema();
        s.push_back(ParamSpec::choice("activation", "Activation", {"tanh", "relu"}, "tanh",
                                      "Applied to the new state at every step: tanh keeps it in "
                                      "(−1, 1); relu can grow without bound"));
        return s;
    }
    const LayerExportHook* exportHook(std::string_view format) const override {
        if (format == kOnnxFormat) return &kSimpleRnnOnnx;
        if (format == kPyTorchFormat) return &kSimpleRnnPyTorch;
        return nullptr;
    }
    RecurrentCell cell(const Params& p) const override { return cellOf(p); }
};

}  // namespace

const LayerDef& simpleRnnLayerDef() {
    static const SimpleRnnDef def;
    return def;
}

}  // namespace netloom::engine
