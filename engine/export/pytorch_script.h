#pragma once
// The Python text of the exported training script, with @NAME@ placeholders for the project's
// settings and networks (filled by exportPyTorch, engine/export/pytorch_exporter.h).
namespace netloom::engine {

const char* pytorchScriptTemplate();

}  // namespace netloom::engine
