#pragma once
// Splitting a network at one node, to run its halves apart: an autoencoder's encoder (input →
// code) and decoder (code → output), for the GUI's latent-space views. Node ids are kept, so a
// WeightSet of the whole network loads into either half (Model::loadWeights reads the ids it
// needs and ignores the others).
#include <string>

#include "engine/core/shape.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"

namespace netloom::engine {

// The node `nodeId` and every node it depends on, with the edges among them; its output is the
// new graph's output. Throws Error when the node is unknown.
Graph upstreamGraph(const Graph& graph, const std::string& nodeId);

// What runs after `nodeId`: its descendants, fed by a new Input node of the node's output shape
// that takes the node's id (and name). Throws Error when the node is unknown, has no consumers,
// or a descendant also takes input from outside the split (a skip connection around it).
Graph downstreamGraph(const Graph& graph, const std::string& nodeId, const Shape& shape);

// The code layer of an autoencoder: among the nodes strictly between the input and the output
// (in topological order), the one with the fewest output values; the first on ties (e.g. the
// Dense layer rather than its activation). Empty when the graph is invalid or has no such node.
std::string findCodeNode(const GraphAnalysis& analysis);

}  // namespace netloom::engine
