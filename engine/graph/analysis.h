#pragma once
// Validation and shape inference of a whole graph: per node, its output shape or a precise error;
// graph-level problems (no input, several outputs, cycles). Pure function of the graph, cheap
// enough to run on every edit.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/graph/graph.h"
#include "engine/layers/params.h"

namespace netloom::engine {

class LayerDef;

struct NodeAnalysis {
    bool ok = false;
    std::string error;           // user-facing, starts with the node's name
    std::vector<Shape> outputs;  // one per output port, valid when ok
    Shape output;                // outputs[0], the main output (valid when ok)
    std::vector<Shape> inputs;   // shapes arriving at each input port (when known)
    Params params;               // normalized (defaults filled) when the params are valid
    int64_t parameters = 0;
    int64_t flops = 0;  // forward, per sample
    const LayerDef* def = nullptr;
};

// One parameter edit that resolves a problem, offered as a one-click fix ("Set units to 10").
struct ParamFix {
    std::string nodeId;
    std::string key;  // the parameter, e.g. "units" or "shape"
    ParamValue value;
    std::string label;  // "Set units to 10"
    bool operator==(const ParamFix&) const = default;
};

struct Problem {
    std::string nodeId;  // empty for graph-level problems
    std::string message;
    std::optional<ParamFix> fix;  // when one obvious edit resolves it
};

struct GraphAnalysis {
    std::map<std::string, NodeAnalysis> nodes;
    std::vector<std::string> order;  // topological order (only when acyclic)
    std::vector<Problem> problems;   // every error, node-level and graph-level
    std::string inputNode;           // the single Input node, when there is exactly one
    std::string outputNode;          // the single node without consumers (its port 0 is the
                                     // network's output; other ports may stay unconsumed)
    int64_t totalParameters = 0;
    int64_t totalFlops = 0;

    bool ok() const { return problems.empty(); }
    std::string firstProblem() const { return problems.empty() ? "" : problems.front().message; }
};

GraphAnalysis analyzeGraph(const Graph& graph);

}  // namespace netloom::engine
