#pragma once
// Port rules of a node as the editor shows them: how many input ports a card draws and whether
// a proposed connection is allowed (and if not, why, in words a user understands).
#include <string>

#include "engine/graph/graph.h"
#include "engine/layers/params.h"

namespace netloom::ui {

// The node's params with schema defaults filled in (the node's own if they are invalid).
engine::Params effectiveParams(const engine::Node& node);
// Largest number of inputs the layer accepts (0 for Input).
int maxInputPorts(const engine::Node& node);
// Ports drawn on the card: all of them for fixed arity; for variadic layers (Concat, Add) the
// connected ones plus one free port, at least the minimum.
int visibleInputPorts(const engine::Graph& graph, const engine::Node& node);

// Empty when the edge may be added; otherwise the reason. `replacing` is an existing edge that
// the new one replaces (dragging a connection's end to another port).
std::string connectionProblem(const engine::Graph& graph, const engine::Edge& edge,
                              const engine::Edge* replacing = nullptr);

}  // namespace netloom::ui
