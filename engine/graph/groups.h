#pragma once
// Groups: named sets of nodes the editor draws as a frame (expanded) or as one card (collapsed).
// Pure presentation and grouping metadata: models, training and exporters never read them, so a
// grouped network trains exactly like the same network without groups.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/graph/analysis.h"
#include "engine/graph/graph.h"

namespace netloom::engine {

struct NodeGroup {
    std::string id;                    // stable, unique in the network: "g1"
    std::string name;                  // user-visible: "residual"
    std::vector<std::string> members;  // node ids, document order
    bool collapsed = false;
    bool operator==(const NodeGroup&) const = default;
};

// Why a list of groups cannot belong to this graph, naming the group ("group 'res': ..."):
// an empty id or a duplicate one, no members, a member that is not a node, a member listed
// twice or in two groups. `index` is the offending group's position (for file paths).
struct GroupProblem {
    size_t index = 0;
    std::string message;
};
std::optional<GroupProblem> checkGroups(const Graph& graph, const std::vector<NodeGroup>& groups);

// Groups without the nodes the graph no longer has; a group left empty disappears.
std::vector<NodeGroup> pruneGroups(const Graph& graph, std::vector<NodeGroup> groups);

const NodeGroup* findGroup(const std::vector<NodeGroup>& groups, const std::string& id);
// The group holding node `nodeId`, or nullptr.
const NodeGroup* groupOfNode(const std::vector<NodeGroup>& groups, const std::string& nodeId);
std::string makeGroupId(const std::vector<NodeGroup>& groups);  // "g1", "g2", ...

// The group seen from outside: its boundary ports (edges crossing into and out of it, each
// inside port once, in edge order) with the shapes flowing through them, and what it costs.
struct GroupBoundaryPort {
    std::string nodeId;          // the member at the boundary
    int port = 0;                // its input port (inputs) or output port (outputs)
    std::optional<Shape> shape;  // unknown while the analysis cannot tell
};
struct GroupSummary {
    std::vector<GroupBoundaryPort> inputs, outputs;
    int64_t parameters = 0;  // sum over the members
    int64_t flops = 0;
    bool ok = true;  // every member analysed without error
    // "64×14×14 → 64×14×14" (several shapes joined by ", ", "?" where unknown).
    std::string shapeText() const;
};
GroupSummary summarizeGroup(const Graph& graph, const GraphAnalysis& analysis,
                            const NodeGroup& group);

}  // namespace netloom::engine
