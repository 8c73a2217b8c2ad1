#pragma once
// Port rules of a node, the one place they live: how many input and output ports a layer has,
// which of them a card shows, their names, and whether a proposed connection is allowed (and if
// not, why, in words a user understands). The editor asks these; the analysis applies the same
// arity rules to whole graphs.
#include <optional>
#include <string>
#include <vector>

#include "engine/graph/graph.h"
#include "engine/layers/params.h"

namespace netloom::engine {

// The node's params with schema defaults filled in (the node's own if they are invalid).
Params effectiveParams(const Node& node);
// Largest number of inputs the layer accepts (0 for Input).
int maxInputPorts(const Node& node);
// Number of output ports (1 for most layers; 1 for an unknown type).
int outputPorts(const Node& node);
// Input ports drawn on the card: all of them for fixed arity; for variadic layers (Concat, Add)
// the connected ones plus one free port, at least the minimum.
int visibleInputPorts(const Graph& graph, const Node& node);
// Input ports with nothing connected, among the visible ones (in order).
std::vector<int> freeInputPorts(const Graph& graph, const Node& node);
// Names of the ports, for tooltips: "in", "in 2", "out", "sequence", ...
std::string inputPortName(const Node& node, int port);
std::string outputPortName(const Node& node, int port);

// Empty when the edge may be added; otherwise the reason (no such layer or port, self-loop,
// input already fed, cycle). `replacing` is an existing edge that the new one replaces
// (dragging a connection's end to another port).
std::string connectionProblem(const Graph& graph, const Edge& edge,
                              const Edge* replacing = nullptr);

// When `edge` is refused only because its input port is already fed: the edge feeding it, which
// replacing would remove (the new edge is allowed once it is gone). Empty otherwise.
std::optional<Edge> replaceableFeed(const Graph& graph, const Edge& edge,
                                    const Edge* replacing = nullptr);

}  // namespace netloom::engine
