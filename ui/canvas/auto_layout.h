#pragma once
// Layered layout of a graph, left to right by topological depth (longest path from a source),
// with a barycentre ordering inside each column to limit crossings. Deep chains wrap into
// several bands so a whole network stays readable when fitted to the window.
#include <QPointF>
#include <map>
#include <string>

#include "engine/graph/graph.h"

namespace netloom::ui {

// Top-left corner of each node card, by node id.
std::map<std::string, QPointF> computeAutoLayout(const engine::Graph& graph, int maxColumns = 6);

}  // namespace netloom::ui
