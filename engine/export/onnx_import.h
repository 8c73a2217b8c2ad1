#pragma once
// ONNX import of the operator subset NetLoom's layers cover (what the exporter writes and what
// torch.onnx.export writes for the equivalent nn.Modules): Gemm/MatMul(+Add) → Dense, Conv,
// ConvTranspose, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization, Relu, LeakyRelu,
// Elu, Sigmoid, Tanh, the Erf form of GELU, Softmax, Flatten, Reshape, Dropout, Identity, zero
// Pad, Add, Sum, Concat, Resize. Anything else is listed by operator and node, never dropped.
// Hostile files (truncated protobuf, huge or symbolic dimensions, cycles, missing tensors) are
// refused with a message naming the problem, before anything is allocated for them.
#include <string>
#include <vector>

#include "engine/project/project.h"

namespace netloom::engine {

struct OnnxImportResult {
    Network network;                 // role "model": the graph and its weights (no layout)
    std::vector<std::string> notes;  // what the user should know (e.g. a fixed batch size)
};

// `source` names the file in messages. Throws Error: "<source>: not an ONNX model (...)",
// "<source>: unsupported operators: LSTM (node 'lstm1'), ...", "<source>: node 'c1' (Conv): ...".
OnnxImportResult importOnnxModel(const std::string& bytes, const std::string& source);
OnnxImportResult importOnnxFile(const std::string& path);  // refuses files over 1 GiB

// A new project around an imported network, named after the file (default training settings).
Project projectFromOnnx(const OnnxImportResult& imported, const std::string& name);

}  // namespace netloom::engine
