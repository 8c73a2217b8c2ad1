#pragma once
// The sequence operators' converters (onnx_import_sequence_ops.cpp), added to the table of
// onnx_import_ops.cpp. Private to engine/export.
#include <map>
#include <string>

#include "engine/export/onnx_import_context.h"

namespace netloom::engine::onnximport {

void addSequenceConverters(std::map<std::string, Converter>& table);

// MultiHeadAttention's block (onnx_import_attention.cpp): the MatMul converter hands a node
// marked by the exporter to importAttention, which converts and consumes the whole block.
bool isAttentionBlock(const onnx::NodeProto& n);
void importAttention(Context& c, int node);

}  // namespace netloom::engine::onnximport
