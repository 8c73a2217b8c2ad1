#pragma once
// The Transformer layers' converters (onnx_import_transformer_ops.cpp), added to the table of
// onnx_import_ops.cpp. Private to engine/export.
#include <map>
#include <string>

#include "engine/export/onnx_import_context.h"

namespace netloom::engine::onnximport {

// Adds LayerNormalization and Shape (ClassToken's pattern) and wraps Conv (PatchEmbedding's
// pattern) and Add (a constant table added to a sequence: the positional layers).
void addTransformerConverters(std::map<std::string, Converter>& table);

}  // namespace netloom::engine::onnximport
