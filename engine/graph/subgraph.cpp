#include "engine/graph/subgraph.h"

#include <deque>
#include <set>

#include "engine/core/error.h"

namespace netloom::engine {

namespace {

// Ids reachable from `start` following edges backwards (upstream) or forwards (downstream).
std::set<std::string> reachable(const Graph& graph, const std::string& start, bool forward) {
    std::set<std::string> seen{start};
    std::deque<std::string> todo{start};
    while (!todo.empty()) {
        const std::string id = todo.front();
        todo.pop_front();
        for (const Edge& e : forward ? graph.outputsOf(id) : graph.inputsOf(id)) {
            const std::string& next = forward ? e.to : e.from;
            if (seen.insert(next).second) todo.push_back(next);
        }
    }
    return seen;
}

}  // namespace

Graph upstreamGraph(const Graph& graph, const std::string& nodeId) {
    graph.node(nodeId);  // throws when unknown
    const std::set<std::string> keep = reachable(graph, nodeId, false);
    Graph sub;
    for (const Node& n : graph.nodes())
        if (keep.count(n.id)) sub.addNode(n);
    for (const Edge& e : graph.edges())
        if (keep.count(e.from) && keep.count(e.to)) sub.connect(e);
    return sub;
}

Graph downstreamGraph(const Graph& graph, const std::string& nodeId, const Shape& shape) {
    const Node& split = graph.node(nodeId);
    if (graph.outputsOf(nodeId).empty())
        throw Error("cannot split the network after '" + split.name +
                    "': it is the output, nothing runs after it");
    const std::set<std::string> keep = reachable(graph, nodeId, true);
    for (const Edge& e : graph.edges())
        if (keep.count(e.to) && e.to != nodeId && !keep.count(e.from))
            throw Error("cannot split the network after '" + split.name + "': '" +
                        graph.node(e.to).name + "' also takes input from '" +
                        graph.node(e.from).name + "', which is not after '" + split.name +
                        "' (choose a node that every path goes through)");
    Graph sub;
    Params params;
    params.set("shape", shape.toAsciiString());
    for (const Node& n : graph.nodes()) {
        if (n.id == nodeId)
            sub.addNode(Node{n.id, "Input", n.name, params});
        else if (keep.count(n.id))
            sub.addNode(n);
    }
    for (const Edge& e : graph.edges())
        if (keep.count(e.from) && keep.count(e.to)) sub.connect(e);
    return sub;
}

std::string findCodeNode(const GraphAnalysis& analysis) {
    if (!analysis.ok() || analysis.inputNode.empty() || analysis.outputNode.empty()) return {};
    std::string best;
    int64_t fewest = 0;
    for (const std::string& id : analysis.order) {
        if (id == analysis.inputNode || id == analysis.outputNode) continue;
        const int64_t n = analysis.nodes.at(id).output.elements();
        if (best.empty() || n < fewest) {
            best = id;
            fewest = n;
        }
    }
    return best;
}

}  // namespace netloom::engine
