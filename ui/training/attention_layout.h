#pragma once
// Where an attention layer's tokens come from, so the live attention view can draw its maps
// where they belong: a ViT's tokens are image patches (a PatchEmbedding upstream, possibly with
// class tokens in front of them), any other model's are positions of a sequence. Read from the
// graph alone: walk up the attention layer's (query) input to the PatchEmbedding, counting the
// ClassTokens on the way, and trust the result only when the token counts add up.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"

namespace netloom::ui {

struct AttentionLayerInfo {
    std::string nodeId, name;
    int64_t queries = 0, keys = 0;  // T and S of its maps {T, S}
    // Patch tokens: the patch grid (rows × columns of patch×patch pixels) of the image
    // `imageShape` {C, H, W} and how many tokens (class tokens) precede the patches. gridRows
    // is 0 for a sequence model.
    int64_t gridRows = 0, gridColumns = 0, patch = 0, leadingTokens = 0;
    engine::Shape imageShape;
    bool overPatches() const { return gridRows > 0; }
};

// The graph's attention layers in the order the model runs them (the order of
// Model::attentionMaps); empty when the graph has none or its analysis failed.
std::vector<AttentionLayerInfo> attentionLayers(const engine::Graph& graph,
                                                const engine::GraphAnalysis& analysis);

// True when the graph has at least one attention layer (the panel shows only then).
bool hasAttention(const engine::Graph& graph);

}  // namespace netloom::ui

namespace netloom::engine {
class Tensor;
}

namespace netloom::ui {

// What a patch map shows of one head's weights {T, S}: with class tokens the first class
// token's row (what the classifier's token gathers from each patch), otherwise the mean over
// all query tokens (how much attention each patch receives on average); one value per patch in
// row-major grid order. Empty when `info` is not over patches or the map does not fit it.
std::vector<float> patchAttention(const engine::Tensor& map, const AttentionLayerInfo& info);

}  // namespace netloom::ui
