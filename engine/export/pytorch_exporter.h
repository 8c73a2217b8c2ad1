#pragma once
// PyTorch export of a project: OUT_DIR/model.py (the networks as nn.Modules, a data loader for
// the project's dataset, its loss, optimizer, batch size and epochs; runs as `python3 model.py`
// and unchanged under `torchrun --nproc_per_node=N`), OUT_DIR/weights.nlw (the project's
// weights, or NetLoom's initialisation when it has none) and, for CSV and synthetic sets,
// OUT_DIR/data.nlw (the split as NetLoom loads it). The CLI entry is exportPyTorch();
// importPyTorchWeights() (pytorch_import.h) reads the script's trained.nlw back.
#include <map>
#include <string>
#include <vector>

#include "engine/export/pytorch_network.h"
#include "engine/project/project.h"

namespace netloom::engine {

struct PyTorchExportReport {
    std::vector<std::string> written;   // paths of the files written
    std::vector<std::string> notes;     // what differs from a NetLoom run (validation split, ...)
    std::vector<std::string> problems;  // why nothing was written (unsupported layers, ...)
    bool ok() const { return problems.empty(); }
    std::string text() const;  // one line per file, note and problem, for the CLI and the window
};

// The project's networks as the script builds them, by role ("model", or "generator" and
// "discriminator"), class names Net / Generator / Discriminator.
std::map<std::string, PyTorchNetwork> pytorchNetworks(const Project& project);

// Writes the files into outDir (created when missing). Never throws for an unsupported layer
// or dataset (those become problems and nothing is written); throws Error when a file cannot
// be written.
PyTorchExportReport exportPyTorch(const Project& project, const std::string& outDir);

}  // namespace netloom::engine
