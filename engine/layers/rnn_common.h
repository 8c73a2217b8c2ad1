#pragma once
// What SimpleRNN, LSTM and GRU share: the LayerDef base (schema, ports, shapes, cost, examples)
// and the layer that runs a stack of recurrent layers on oneDNN's RNN primitives
// (vanilla_rnn, lstm, lbr_gru). Weights are stored as PyTorch stores them — per stacked layer l
// weight_ih_l{l} {G·H, I}, weight_hh_l{l} {G·H, H}, bias_ih_l{l} {G·H}, bias_hh_l{l} {G·H} with
// PyTorch's gate order — so parity tests and exporters map them one to one; the layer converts
// them to oneDNN's layouts (summed biases, GRU gate blocks swapped) before every forward.
#include <memory>

#include "engine/layers/layer.h"

namespace netloom::engine {

class OnnxEmitter;
struct OnnxNodeInfo;
struct PyTorchModule;
struct PyTorchNode;

enum class RecurrentCell { VanillaTanh, VanillaRelu, Lstm, Gru };

// Gates per cell as PyTorch counts them: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).
int recurrentGates(RecurrentCell cell);

struct RecurrentConfig {
    RecurrentCell cell = RecurrentCell::Lstm;
    int64_t steps = 0;   // T
    int64_t inputs = 0;  // F, the features of one step
    int64_t hidden = 0;  // H
    int64_t layers = 1;  // stacked layers; layer l > 0 reads layer l − 1's outputs
    bool returnSequences = false;
    int outputs = 1;  // 1: out; 2: out, h (GRU); 3: out, h, c (LSTM)
};

// Output 0 is {T, H} (a sequence) or the last step {H}; output 1 the last layer's final hidden
// state {H}; output 2 (LSTM) its final cell state {H}. The initial state is zero.
std::unique_ptr<Layer> createRecurrentLayer(const RecurrentConfig& config);

// The ONNX export all three kinds share (each layer file's ONNX block calls it with its cell):
// Transpose to [T,N,F], one ONNX RNN/LSTM/GRU node per stacked layer (gate blocks remapped to
// ONNX's order, direction axis squeezed between them), then the sequence transposed back or the
// final states squeezed. The importer (engine/export/onnx_import_ops.cpp) reads this back.
void writeRecurrentOnnx(RecurrentCell cell, const OnnxNodeInfo& node, OnnxEmitter& out);

// The PyTorch export all three kinds share: nn.RNN/nn.LSTM/nn.GRU with batch_first=True (the
// weights already have PyTorch's names and layout); the forward returns this layer's ports
// (the sequence or its last step, then the last layer's final h and c).
PyTorchModule recurrentPyTorchModule(RecurrentCell cell, const PyTorchNode& node);

// The def of a recurrent layer kind; SimpleRNN, LSTM and GRU add their name, cell and texts.
class RecurrentDef : public LayerDef {
public:
    virtual RecurrentCell cell(const Params& params) const = 0;

    std::string category() const override { return "Recurrent"; }
    ParamSchema schema() const override;  // units, layers, return_sequences
    int outputCount(const Params& params) const override;
    PortInfo ports(const Params& params) const override;
    std::vector<Shape> inferShapes(const std::vector<Shape>& inputs,
                                   const Params& params) const override;
    int64_t parameterCount(const std::vector<Shape>& inputs, const Params& params) const override;
    int64_t flops(const std::vector<Shape>& inputs, const std::vector<Shape>& outputs,
                  const Params& params) const override;
    std::vector<Shape> exampleInputs(const Params& params) const override;
    // default (last step), "sequences", "stacked" (2 layers, sequences), "stacked-last".
    std::vector<LayerExample> examples() const override;
    std::unique_ptr<Layer> create(const std::vector<Shape>& inputs,
                                  const Params& params) const override;

    // The config for these inputs; throws Error when the input is not a sequence {T, F}.
    RecurrentConfig config(const std::vector<Shape>& inputs, const Params& params) const;
};

}  // namespace netloom::engine
