#pragma once
// ONNX export (opset 17, IR version 8: the highest both Debian's onnx 1.12 and PyTorch 1.13
// accept) of one network with its weights, and of a project's parts: the model; an
// autoencoder's encoder and decoder halves too; a GAN's generator (and, on request, its
// discriminator). Each layer writes itself through its LayerDef's ONNX hook
// (engine/layers/onnx_export_hook.h); a layer without one is reported by name, never dropped.
// Every model passes onnx::checker::check_model before it is written (atomically).
#include <string>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/model/weight_set.h"
#include "engine/project/project.h"

namespace netloom::engine {

inline constexpr int kOnnxOpset = 17;
inline constexpr int kOnnxIrVersion = 8;

// The serialized, checked ModelProto of `graph` with `weights` (every parameter and state must
// be there). The graph input is named after the Input (or Noise) node, the output after the
// sink. Throws Error: the graph's first problem, "cannot export to ONNX: layer 'x' (LSTM) has no
// ONNX export" (every such layer listed), or the checker's complaint.
std::string exportOnnxModel(const Graph& graph, const WeightSet& weights,
                            const std::string& modelName);

// Layers of `graph` that have no ONNX export, as "name (Type)"; empty when all can be written.
std::vector<std::string> layersWithoutOnnxExport(const Graph& graph);

// One model file a project export writes.
struct OnnxExportPart {
    std::string label;   // "model", "encoder", "decoder", "generator", "discriminator"
    std::string suffix;  // appended to the file name before ".onnx": "", "-encoder", ...
    Graph graph;
    WeightSet weights;
};

struct OnnxExportOptions {
    bool discriminator = false;  // GAN projects: also the discriminator
};

// The parts of a project to export, with the project's trained weights; a network that was
// never trained gets weights initialized from the project's seed (a note says so).
std::vector<OnnxExportPart> onnxExportParts(const Project& project,
                                            const OnnxExportOptions& options,
                                            std::vector<std::string>* notes = nullptr);

// What exportProjectToOnnx wrote.
struct OnnxExportReport {
    std::vector<std::string> files;  // one per part, the main model first
    std::vector<std::string> notes;  // untrained weights, halves that could not be split, ...
};

// Writes every part to `path` (the first part) and siblings ("OUT-encoder.onnx"). Nothing is
// written when any part fails; the Error lists what could not be exported.
OnnxExportReport exportProjectToOnnx(const Project& project, const std::string& path,
                                     const OnnxExportOptions& options = {});

}  // namespace netloom::engine
