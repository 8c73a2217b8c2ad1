#include "ui/canvas/ports.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/layers/registry.h"

namespace netloom::ui {

engine::Params effectiveParams(const engine::Node& node) {
    const engine::LayerDef* def = engine::findLayerDef(node.type);
    if (!def) return node.params;
    try {
        return engine::normalizeParams(def->schema(), node.params, node.name);
    } catch (const netloom::Error&) {
        try {
            return engine::normalizeParams(def->schema(), {}, node.name);
        } catch (const netloom::Error&) {
            return node.params;
        }
    }
}

int maxInputPorts(const engine::Node& node) {
    const engine::LayerDef* def = engine::findLayerDef(node.type);
    if (!def) return 1;
    return std::max(0, def->maxInputs(effectiveParams(node)));
}

int visibleInputPorts(const engine::Graph& graph, const engine::Node& node) {
    const engine::LayerDef* def = engine::findLayerDef(node.type);
    int highest = -1;
    for (const auto& e : graph.inputsOf(node.id)) highest = std::max(highest, e.toPort);
    if (!def) return std::max(1, highest + 1);
    const engine::Params p = effectiveParams(node);
    const int minIn = std::max(0, def->minInputs(p));
    const int maxIn = std::max(minIn, def->maxInputs(p));
    if (minIn == maxIn) return std::max(maxIn, highest + 1);
    const int wanted = std::max(minIn, highest + 2);
    return std::max(highest + 1, std::min(maxIn, wanted));
}

std::string connectionProblem(const engine::Graph& graph, const engine::Edge& edge,
                              const engine::Edge* replacing) {
    const engine::Node* from = graph.findNode(edge.from);
    const engine::Node* to = graph.findNode(edge.to);
    if (!from || !to) return "that layer no longer exists";
    if (edge.from == edge.to) return "a layer cannot feed itself";
    if (edge.fromPort != 0) return "'" + from->name + "' has a single output";
    const int maxIn = maxInputPorts(*to);
    if (maxIn == 0) return "'" + to->name + "' takes no input";
    if (edge.toPort < 0 || edge.toPort >= maxIn)
        return "'" + to->name + "' has only " + std::to_string(maxIn) + " input" +
               (maxIn == 1 ? "" : "s");
    engine::Graph g = graph;
    if (replacing) g.disconnect(*replacing);
    for (const auto& e : g.edges())
        if (e.to == edge.to && e.toPort == edge.toPort) {
            const engine::Node* other = g.findNode(e.from);
            return (maxIn == 1 ? "the input" : "input " + std::to_string(edge.toPort + 1)) +
                   " of '" + to->name + "' is already fed by '" + (other ? other->name : e.from) +
                   "': delete that connection first";
        }
    if (g.wouldCreateCycle(edge))
        return "connecting '" + from->name + "' to '" + to->name +
               "' would create a cycle (data must flow one way)";
    return {};
}

}  // namespace netloom::ui
