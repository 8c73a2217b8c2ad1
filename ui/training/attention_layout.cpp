#include "ui/training/attention_layout.h"

namespace netloom::ui {

namespace {

constexpr const char* kAttention = "MultiHeadAttention";

// Fills the patch fields of `info` when the layer's queries are a PatchEmbedding's tokens
// behind zero or more ClassTokens; leaves them zero otherwise (a sequence).
void tracePatches(const engine::Graph& graph, const engine::GraphAnalysis& analysis,
                  AttentionLayerInfo& info) {
    std::string id = info.nodeId;
    int64_t leading = 0;
    for (size_t guard = 0; guard < graph.nodes().size(); ++guard) {
        const std::vector<engine::Edge> in = graph.inputsOf(id);
        if (in.empty() || in.front().toPort != 0) return;  // the Input: no patches
        id = in.front().from;
        const engine::Node& node = graph.node(id);
        if (node.type == "ClassToken") ++leading;
        if (node.type != "PatchEmbedding") continue;
        const auto it = analysis.nodes.find(id);
        if (it == analysis.nodes.end() || !it->second.ok || it->second.inputs.empty()) return;
        const engine::Shape& image = it->second.inputs[0];
        const int64_t patch = it->second.params.getInt("patch");
        if (image.rank() != 3 || patch <= 0) return;
        const int64_t rows = image[1] / patch, columns = image[2] / patch;
        // Only when every token is accounted for (no other layer added or removed tokens).
        if (leading + rows * columns != info.queries || info.queries != info.keys) return;
        info.gridRows = rows;
        info.gridColumns = columns;
        info.patch = patch;
        info.leadingTokens = leading;
        info.imageShape = image;
        return;
    }
}

}  // namespace

std::vector<AttentionLayerInfo> attentionLayers(const engine::Graph& graph,
                                                const engine::GraphAnalysis& analysis) {
    std::vector<AttentionLayerInfo> layers;
    if (!analysis.ok()) return layers;
    for (const std::string& id : analysis.order) {  // the model's order
        const engine::Node& node = graph.node(id);
        if (node.type != kAttention) continue;
        const engine::NodeAnalysis& a = analysis.nodes.at(id);
        AttentionLayerInfo info;
        info.nodeId = id;
        info.name = node.name;
        info.queries = a.inputs.empty() || a.inputs[0].rank() < 1 ? 0 : a.inputs[0][0];
        const engine::Shape& kv = a.inputs.size() > 1 ? a.inputs[1] : a.inputs[0];
        info.keys = kv.rank() < 1 ? 0 : kv[0];
        tracePatches(graph, analysis, info);
        layers.push_back(std::move(info));
    }
    return layers;
}

bool hasAttention(const engine::Graph& graph) {
    for (const engine::Node& n : graph.nodes())
        if (n.type == kAttention) return true;
    return false;
}

}  // namespace netloom::ui

#include "engine/core/tensor.h"

namespace netloom::ui {

std::vector<float> patchAttention(const engine::Tensor& map, const AttentionLayerInfo& info) {
    const int64_t patches = info.gridRows * info.gridColumns;
    const int64_t t = info.queries, s = info.keys, lead = info.leadingTokens;
    if (!info.overPatches() || map.size() != t * s || s != lead + patches) return {};
    std::vector<float> out(static_cast<size_t>(patches), 0.0f);
    if (lead > 0) {  // the class token's row
        for (int64_t p = 0; p < patches; ++p) out[static_cast<size_t>(p)] = map[lead + p];
        return out;
    }
    for (int64_t q = 0; q < t; ++q)
        for (int64_t p = 0; p < patches; ++p) out[static_cast<size_t>(p)] += map[q * s + p];
    for (float& v : out) v /= static_cast<float>(t);
    return out;
}

}  // namespace netloom::ui
