#pragma once
// Transfer learning: layers copied with their trained weights from another project's network
// into this one (File ▸ Import layers from project…). A pure function of the two networks; the
// caller (an undo command, a test) applies the result, so a refused import changes nothing.
#include <map>
#include <string>
#include <vector>

#include "engine/project/project.h"

namespace netloom::engine {

struct LayerImportRequest {
    std::vector<std::string> nodeIds;  // layers of the source network to copy
    // A layer of the target whose output 0 feeds the copied layers' one input from outside the
    // selection (the encoder's first Dense after this project's Flatten); empty: the layers land
    // unconnected.
    std::string attachTo;
    double x = 0, y = 0;  // where the copied layers' top-left corner lands on the canvas
    std::string sourceName = "the source project";  // how messages name the source
};

struct LayerImport {
    std::vector<Node> nodes;  // fresh ids and names (unique in the target), flags as in the source
    std::vector<Edge> edges;  // among the copied layers, plus the one from attachTo
    std::map<std::string, NodeUi> layout;  // by new id
    WeightSet weights;                     // the source's trained tensors, by new id
    std::vector<std::string> untrained;    // copied layers with parameters the source never trained
    std::vector<std::string> ids() const;  // the new ids, in order
};

// Plans the import. Throws Error naming the layer and the reason: an unknown layer, nothing
// chosen, an attach point with no single input to feed, a layer that gets another input shape
// than it was trained on once wired ("'enc1' does not fit after 'flatten': its trained weight is
// 256×784 for inputs of 784, here it gets 3072 and would need 256×3072"), trained tensors that
// do not fit their layer even in the source.
LayerImport planLayerImport(const Network& source, const Network& target,
                            const LayerImportRequest& request);

}  // namespace netloom::engine
