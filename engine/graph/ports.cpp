#include "engine/graph/ports.h"

#include <algorithm>
#include <set>

#include "engine/core/error.h"
#include "engine/layers/registry.h"

namespace netloom::engine {

Params effectiveParams(const Node& node) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return node.params;
    try {
        return normalizeParams(def->schema(), node.params, node.name);
    } catch (const netloom::Error&) {
        try {
            return normalizeParams(def->schema(), {}, node.name);
        } catch (const netloom::Error&) {
            return node.params;
        }
    }
}

int maxInputPorts(const Node& node) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return 1;
    return std::max(0, def->maxInputs(effectiveParams(node)));
}

int outputPorts(const Node& node) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return 1;
    return std::max(1, def->outputCount(effectiveParams(node)));
}

int visibleInputPorts(const Graph& graph, const Node& node) {
    const LayerDef* def = findLayerDef(node.type);
    int highest = -1;
    for (const auto& e : graph.inputsOf(node.id)) highest = std::max(highest, e.toPort);
    if (!def) return std::max(1, highest + 1);
    const Params p = effectiveParams(node);
    const int minIn = std::max(0, def->minInputs(p));
    const int maxIn = std::max(minIn, def->maxInputs(p));
    if (minIn == maxIn) return std::max(maxIn, highest + 1);
    const int wanted = std::max(minIn, highest + 2);
    return std::max(highest + 1, std::min(maxIn, wanted));
}

std::vector<int> freeInputPorts(const Graph& graph, const Node& node) {
    std::set<int> used;
    for (const auto& e : graph.inputsOf(node.id)) used.insert(e.toPort);
    std::vector<int> free;
    const int shown = visibleInputPorts(graph, node);
    for (int p = 0; p < shown; ++p)
        if (!used.count(p)) free.push_back(p);
    return free;
}

namespace {

std::string portName(const std::vector<std::string>& names, int port, const char* fallback) {
    if (port >= 0 && static_cast<size_t>(port) < names.size())
        return names[static_cast<size_t>(port)];
    return std::string(fallback) + " " + std::to_string(port + 1);  // variadic beyond the list
}

}  // namespace

std::string inputPortName(const Node& node, int port) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return "in";
    return portName(def->ports(effectiveParams(node)).inputs, port, "in");
}

std::string outputPortName(const Node& node, int port) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return "out";
    return portName(def->ports(effectiveParams(node)).outputs, port, "out");
}

std::string connectionProblem(const Graph& graph, const Edge& edge, const Edge* replacing) {
    const Node* from = graph.findNode(edge.from);
    const Node* to = graph.findNode(edge.to);
    if (!from || !to) return "that layer no longer exists";
    if (edge.from == edge.to) return "a layer cannot feed itself";
    const int outs = outputPorts(*from);
    if (edge.fromPort < 0 || edge.fromPort >= outs)
        return outs == 1 ? "'" + from->name + "' has a single output"
                         : "'" + from->name + "' has only " + std::to_string(outs) + " outputs";
    const int maxIn = maxInputPorts(*to);
    if (maxIn == 0) return "'" + to->name + "' takes no input";
    if (edge.toPort < 0 || edge.toPort >= maxIn)
        return "'" + to->name + "' has only " + std::to_string(maxIn) + " input" +
               (maxIn == 1 ? "" : "s");
    Graph g = graph;
    if (replacing) g.disconnect(*replacing);
    for (const auto& e : g.edges())
        if (e.to == edge.to && e.toPort == edge.toPort) {
            const Node* other = g.findNode(e.from);
            return (maxIn == 1 ? "the input" : "input " + std::to_string(edge.toPort + 1)) +
                   " of '" + to->name + "' is already fed by '" + (other ? other->name : e.from) +
                   "': delete that connection first";
        }
    if (g.wouldCreateCycle(edge))
        return "connecting '" + from->name + "' to '" + to->name +
               "' would create a cycle (data must flow one way)";
    return {};
}

std::optional<Edge> replaceableFeed(const Graph& graph, const Edge& edge, const Edge* replacing) {
    if (connectionProblem(graph, edge, replacing).empty()) return std::nullopt;  // not refused
    Graph g = graph;
    if (replacing) g.disconnect(*replacing);
    for (const Edge& e : g.edges())
        if (e.to == edge.to && e.toPort == edge.toPort) {
            g.disconnect(e);
            if (connectionProblem(g, edge).empty()) return e;
            return std::nullopt;
        }
    return std::nullopt;
}

}  // namespace netloom::engine
