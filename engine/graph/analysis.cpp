#include "engine/graph/analysis.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/core/error.h"
#include "engine/layers/layer.h"
#include "engine/layers/registry.h"

namespace netloom::engine {

namespace {

std::string quoted(const Node& n) {
    return "'" + n.name + "'";
}

// Kahn's algorithm; nodes left over are on or behind a cycle.
std::vector<std::string> topologicalOrder(const Graph& g, std::set<std::string>& leftOver) {
    std::map<std::string, int> indegree;
    for (const Node& n : g.nodes()) indegree[n.id] = 0;
    for (const Edge& e : g.edges())
        if (indegree.count(e.to) && indegree.count(e.from)) ++indegree[e.to];
    std::vector<std::string> ready;
    for (const Node& n : g.nodes())  // keep the document order for ties: stable, predictable
        if (indegree[n.id] == 0) ready.push_back(n.id);
    std::vector<std::string> order;
    for (size_t i = 0; i < ready.size(); ++i) {
        const std::string id = ready[i];
        order.push_back(id);
        for (const Edge& e : g.edges())
            if (e.from == id && indegree.count(e.to) && --indegree[e.to] == 0)
                ready.push_back(e.to);
    }
    for (const Node& n : g.nodes())
        if (indegree[n.id] > 0) leftOver.insert(n.id);
    return order;
}

// The nodes of `candidates` that lie on a cycle, i.e. can reach themselves. Kahn's leftovers also
// hold nodes merely fed by a cycle; those are not to blame.
std::set<std::string> nodesOnCycles(const Graph& g, const std::set<std::string>& candidates) {
    std::set<std::string> onCycle;
    for (const std::string& start : candidates) {
        std::set<std::string> seen;
        std::vector<std::string> stack;
        for (const Edge& e : g.edges())
            if (e.from == start && candidates.count(e.to)) stack.push_back(e.to);
        while (!stack.empty()) {
            const std::string cur = stack.back();
            stack.pop_back();
            if (cur == start) {
                onCycle.insert(start);
                break;
            }
            if (!seen.insert(cur).second) continue;
            for (const Edge& e : g.edges())
                if (e.from == cur && candidates.count(e.to)) stack.push_back(e.to);
        }
    }
    return onCycle;
}

}  // namespace

GraphAnalysis analyzeGraph(const Graph& graph) {
    GraphAnalysis a;
    auto fail = [&](const Node& n, const std::string& message) {
        NodeAnalysis& na = a.nodes[n.id];
        if (!na.error.empty()) return;  // keep the first, most specific error
        na.ok = false;
        na.error = message;
        a.problems.push_back({n.id, message});
    };

    if (graph.nodes().empty()) {
        a.problems.push_back({"", "The network is empty: drag an Input layer from the palette."});
        return a;
    }

    // 1. Kind, parameters and ports of each node on its own.
    std::set<std::string> names;
    for (const Node& n : graph.nodes()) {
        NodeAnalysis& na = a.nodes[n.id];
        na.def = findLayerDef(n.type);
        if (!names.insert(n.name).second)
            fail(n, quoted(n) + ": another layer has the same name; rename one of them");
        if (!na.def) {
            fail(n, quoted(n) + ": unknown layer type '" + n.type + "'");
            continue;
        }
        try {
            na.params = normalizeParams(na.def->schema(), n.params, quoted(n));
        } catch (const Error& e) {
            fail(n, e.what());
            continue;
        }
        const int minIn = na.def->minInputs(na.params);
        const int maxIn = na.def->maxInputs(na.params);
        std::vector<Edge> ins = graph.inputsOf(n.id);
        std::set<int> ports;
        for (const Edge& e : ins) {
            if (e.toPort >= maxIn)
                fail(n, quoted(n) + " has " + std::to_string(maxIn) + " input" +
                            (maxIn == 1 ? "" : "s") + " but something is connected to input " +
                            std::to_string(e.toPort + 1));
            ports.insert(e.toPort);
        }
        for (int p = 0; p < minIn; ++p)
            if (!ports.count(p)) {
                fail(n, minIn == 1 ? quoted(n) + ": its input is not connected"
                                   : quoted(n) + ": input " + std::to_string(p + 1) + " of " +
                                         std::to_string(minIn) + " is not connected");
                break;
            }
        const int outs = na.def->outputCount(na.params);
        for (const Edge& e : graph.outputsOf(n.id))
            if (e.fromPort < 0 || e.fromPort >= outs)
                fail(n, outs == 1 ? quoted(n) + " has one output, port 1"
                                  : quoted(n) + " has " + std::to_string(outs) +
                                        " outputs but a connection leaves output " +
                                        std::to_string(e.fromPort + 1));
    }

    // 2. Order; anything left over sits on or behind a cycle (behind: unresolved, not blamed).
    std::set<std::string> leftOver;
    a.order = topologicalOrder(graph, leftOver);
    const std::set<std::string> cyclic = nodesOnCycles(graph, leftOver);
    if (!cyclic.empty()) {
        std::string list;
        for (const Node& n : graph.nodes())
            if (cyclic.count(n.id)) list += (list.empty() ? "" : ", ") + quoted(n);
        a.problems.push_back({"", "The network has a cycle through " + list +
                                      ": remove one of the connections that loop back"});
        for (const Node& n : graph.nodes())
            if (cyclic.count(n.id)) fail(n, quoted(n) + " is part of a cycle");
        a.order.clear();
    }

    // 3. Shapes in order. Nodes behind an error stay !ok without an error of their own.
    for (const std::string& id : a.order) {
        const Node& n = graph.node(id);
        NodeAnalysis& na = a.nodes[id];
        if (!na.error.empty() || !na.def) continue;
        bool inputsKnown = true;
        na.inputs.clear();
        for (const Edge& e : graph.inputsOf(id)) {
            const NodeAnalysis& src = a.nodes[e.from];
            if (!src.ok) {
                inputsKnown = false;
                break;
            }
            na.inputs.push_back(src.outputs.at(static_cast<size_t>(e.fromPort)));
        }
        if (!inputsKnown) continue;
        try {
            na.outputs = na.def->inferShapes(na.inputs, na.params);
            if (static_cast<int>(na.outputs.size()) != na.def->outputCount(na.params))
                throw Error("internal: the layer gave " + std::to_string(na.outputs.size()) +
                            " output shapes for " + std::to_string(na.def->outputCount(na.params)) +
                            " outputs");
            na.output = na.outputs.at(0);
            na.parameters = na.def->parameterCount(na.inputs, na.params);
            na.flops = na.def->flops(na.inputs, na.outputs, na.params);
            na.ok = true;
            a.totalParameters += na.parameters;
            a.totalFlops += na.flops;
        } catch (const Error& e) {
            fail(n, quoted(n) + ": " + e.what());
        }
    }

    // 4. One input, one output, nothing floating. Sources are the layers of the Input category
    // (Input, and Noise for GAN generators).
    std::vector<const Node*> inputs, sinks;
    for (const Node& n : graph.nodes()) {
        const LayerDef* def = a.nodes[n.id].def;
        const bool source = def ? def->category() == "Input" : n.type == "Input";
        if (source) inputs.push_back(&n);
        if (graph.outputsOf(n.id).empty() && !source) sinks.push_back(&n);
        if (source && graph.outputsOf(n.id).empty() && graph.nodes().size() > 1)
            fail(n, quoted(n) + " is not connected to any layer");
    }
    if (inputs.empty())
        a.problems.push_back({"", "The network has no Input layer: drag one from the palette."});
    else if (inputs.size() > 1)
        a.problems.push_back({"", "The network has " + std::to_string(inputs.size()) +
                                      " Input layers; a network here has exactly one"});
    else
        a.inputNode = inputs.front()->id;
    if (sinks.size() == 1) {
        a.outputNode = sinks.front()->id;
    } else if (sinks.empty() && inputs.size() == 1 && graph.nodes().size() == 1) {
        a.problems.push_back({"", "The network has only an Input layer: add layers after it."});
    } else if (sinks.size() > 1) {
        std::string list;
        for (const Node* n : sinks) list += (list.empty() ? "" : ", ") + quoted(*n);
        a.problems.push_back({"", "The network has " + std::to_string(sinks.size()) + " outputs (" +
                                      list +
                                      "): connect all but one of them onward, or delete them"});
    }
    return a;
}

}  // namespace netloom::engine
