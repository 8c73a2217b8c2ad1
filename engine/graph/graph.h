#pragma once
// The network as data: nodes (a layer kind and its parameters) and edges between ports. No UI
// metadata lives here (positions are beside it in the project/document). Ids are stable strings.
#include <optional>
#include <string>
#include <vector>

#include "engine/layers/params.h"

namespace netloom::engine {

struct Node {
    std::string id;    // stable, unique in the graph: "n3"
    std::string type;  // LayerDef::type()
    std::string name;  // user-visible, unique: "fc1"
    Params params;     // may be partial; analysis normalizes against the schema
    bool operator==(const Node&) const = default;
};

// Output port `fromPort` of node `from` feeds input port `toPort` of node `to`.
struct Edge {
    std::string from;
    int fromPort = 0;
    std::string to;
    int toPort = 0;
    bool operator==(const Edge&) const = default;
};

class Graph {
public:
    const std::vector<Node>& nodes() const { return m_nodes; }
    const std::vector<Edge>& edges() const { return m_edges; }

    const Node* findNode(const std::string& id) const;
    Node* findNode(const std::string& id);
    const Node* findNodeByName(const std::string& name) const;
    const Node& node(const std::string& id) const;  // throws Error when unknown

    // Adds a node; throws Error on a duplicate id. Returns a reference valid until the next edit.
    Node& addNode(Node node);
    // Removes the node and every edge touching it; returns the removed edges.
    std::vector<Edge> removeNode(const std::string& id);
    // Adds an edge after checking both ends exist and the input port is free (throws Error).
    void connect(const Edge& edge);
    bool disconnect(const Edge& edge);
    bool hasEdge(const Edge& edge) const;

    std::vector<Edge> inputsOf(const std::string& id) const;  // sorted by toPort
    std::vector<Edge> outputsOf(const std::string& id) const;

    // Fresh id ("n7") and a fresh name built from base ("dense", "dense_2", ...); a base that
    // already ends in a number counts on from its stem ("conv2d_2" → "conv2d_3").
    std::string makeId() const;
    std::string makeName(const std::string& base) const;

    // Would adding this edge create a cycle?
    bool wouldCreateCycle(const Edge& edge) const;

    bool operator==(const Graph&) const = default;

private:
    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
};

}  // namespace netloom::engine
