#include "engine/graph/groups.h"

#include <algorithm>
#include <map>
#include <set>

namespace netloom::engine {

namespace {

std::string label(const NodeGroup& g) {
    return "group '" + (g.name.empty() ? g.id : g.name) + "'";
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string shapesText(const std::vector<GroupBoundaryPort>& ports) {
    if (ports.empty()) return "none";
    std::string s;
    for (size_t i = 0; i < ports.size(); ++i)
        s += (i ? ", " : "") + (ports[i].shape ? ports[i].shape->toString() : std::string("?"));
    return s;
}

}  // namespace

std::optional<GroupProblem> checkGroups(const Graph& graph, const std::vector<NodeGroup>& groups) {
    std::set<std::string> ids;
    std::map<std::string, std::string> owner;  // node id → label of the group holding it
    for (size_t i = 0; i < groups.size(); ++i) {
        const NodeGroup& g = groups[i];
        if (g.id.empty()) return GroupProblem{i, label(g) + " has no id"};
        if (!ids.insert(g.id).second)
            return GroupProblem{i, label(g) + ": another group has the id '" + g.id + "'"};
        if (g.members.empty()) return GroupProblem{i, label(g) + " has no members"};
        for (const std::string& m : g.members) {
            const Node* n = graph.findNode(m);
            if (!n)
                return GroupProblem{
                    i, label(g) + " lists '" + m + "', which is not a node of this network"};
            auto [it, fresh] = owner.emplace(m, label(g));
            if (!fresh)
                return GroupProblem{i, it->second == label(g)
                                           ? label(g) + " lists node '" + n->name + "' twice"
                                           : "node '" + n->name + "' is in " + it->second +
                                                 " and in " + label(g) +
                                                 "; a node belongs to one group at most"};
        }
    }
    return std::nullopt;
}

std::vector<NodeGroup> pruneGroups(const Graph& graph, std::vector<NodeGroup> groups) {
    for (NodeGroup& g : groups)
        g.members.erase(std::remove_if(g.members.begin(), g.members.end(),
                                       [&](const std::string& id) { return !graph.findNode(id); }),
                        g.members.end());
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [](const NodeGroup& g) { return g.members.empty(); }),
                 groups.end());
    return groups;
}

const NodeGroup* findGroup(const std::vector<NodeGroup>& groups, const std::string& id) {
    for (const NodeGroup& g : groups)
        if (g.id == id) return &g;
    return nullptr;
}

const NodeGroup* groupOfNode(const std::vector<NodeGroup>& groups, const std::string& nodeId) {
    for (const NodeGroup& g : groups)
        if (contains(g.members, nodeId)) return &g;
    return nullptr;
}

std::string makeGroupId(const std::vector<NodeGroup>& groups) {
    for (size_t i = groups.size() + 1;; ++i) {
        std::string id = "g" + std::to_string(i);
        if (!findGroup(groups, id)) return id;
    }
}

std::string GroupSummary::shapeText() const {
    return shapesText(inputs) + " → " + shapesText(outputs);
}

GroupSummary summarizeGroup(const Graph& graph, const GraphAnalysis& analysis,
                            const NodeGroup& group) {
    GroupSummary s;
    auto nodeAnalysis = [&](const std::string& id) -> const NodeAnalysis* {
        auto it = analysis.nodes.find(id);
        return it == analysis.nodes.end() ? nullptr : &it->second;
    };
    auto outputShape = [&](const std::string& id, int port) -> std::optional<Shape> {
        const NodeAnalysis* na = nodeAnalysis(id);
        if (!na || !na->ok || port < 0 || port >= static_cast<int>(na->outputs.size()))
            return std::nullopt;
        return na->outputs[static_cast<size_t>(port)];
    };
    std::set<std::pair<std::string, int>> seenIn, seenOut;
    for (const Edge& e : graph.edges()) {
        const bool fromInside = contains(group.members, e.from);
        const bool toInside = contains(group.members, e.to);
        if (!fromInside && toInside && seenIn.insert({e.to, e.toPort}).second)
            s.inputs.push_back({e.to, e.toPort, outputShape(e.from, e.fromPort)});
        if (fromInside && !toInside && seenOut.insert({e.from, e.fromPort}).second)
            s.outputs.push_back({e.from, e.fromPort, outputShape(e.from, e.fromPort)});
    }
    // A member whose output nobody consumes is the network's output: the group's output too.
    for (const std::string& id : group.members)
        if (graph.outputsOf(id).empty() && seenOut.insert({id, 0}).second)
            s.outputs.push_back({id, 0, outputShape(id, 0)});
    for (const std::string& id : group.members) {
        const NodeAnalysis* na = nodeAnalysis(id);
        if (!na || !na->ok) {
            s.ok = false;
            continue;
        }
        s.parameters += na->parameters;
        s.flops += na->flops;
    }
    return s;
}

}  // namespace netloom::engine
