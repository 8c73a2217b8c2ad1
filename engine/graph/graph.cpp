#include "engine/graph/graph.h"

#include <algorithm>
#include <functional>
#include <set>

#include "engine/core/error.h"

namespace netloom::engine {

const Node* Graph::findNode(const std::string& id) const {
    for (const Node& n : m_nodes)
        if (n.id == id) return &n;
    return nullptr;
}

Node* Graph::findNode(const std::string& id) {
    for (Node& n : m_nodes)
        if (n.id == id) return &n;
    return nullptr;
}

const Node* Graph::findNodeByName(const std::string& name) const {
    for (const Node& n : m_nodes)
        if (n.name == name) return &n;
    return nullptr;
}

const Node& Graph::node(const std::string& id) const {
    const Node* n = findNode(id);
    if (!n) throw Error("no node with id '" + id + "'");
    return *n;
}

Node& Graph::addNode(Node node) {
    if (node.id.empty()) throw Error("a node needs an id");
    if (findNode(node.id)) throw Error("a node with id '" + node.id + "' already exists");
    m_nodes.push_back(std::move(node));
    return m_nodes.back();
}

std::vector<Edge> Graph::removeNode(const std::string& id) {
    std::vector<Edge> removed;
    std::vector<Edge> kept;
    for (const Edge& e : m_edges) (e.from == id || e.to == id ? removed : kept).push_back(e);
    m_edges = std::move(kept);
    m_nodes.erase(
        std::remove_if(m_nodes.begin(), m_nodes.end(), [&](const Node& n) { return n.id == id; }),
        m_nodes.end());
    return removed;
}

void Graph::connect(const Edge& edge) {
    const Node* from = findNode(edge.from);
    const Node* to = findNode(edge.to);
    if (!from) throw Error("cannot connect: no node with id '" + edge.from + "'");
    if (!to) throw Error("cannot connect: no node with id '" + edge.to + "'");
    if (edge.from == edge.to) throw Error("cannot connect '" + from->name + "' to itself");
    if (edge.fromPort < 0 || edge.toPort < 0) throw Error("cannot connect: negative port number");
    for (const Edge& e : m_edges)
        if (e.to == edge.to && e.toPort == edge.toPort)
            throw Error("input " + std::to_string(edge.toPort + 1) + " of '" + to->name +
                        "' is already connected");
    m_edges.push_back(edge);
}

bool Graph::disconnect(const Edge& edge) {
    auto it = std::find(m_edges.begin(), m_edges.end(), edge);
    if (it == m_edges.end()) return false;
    m_edges.erase(it);
    return true;
}

bool Graph::hasEdge(const Edge& edge) const {
    return std::find(m_edges.begin(), m_edges.end(), edge) != m_edges.end();
}

std::vector<Edge> Graph::inputsOf(const std::string& id) const {
    std::vector<Edge> r;
    for (const Edge& e : m_edges)
        if (e.to == id) r.push_back(e);
    std::sort(r.begin(), r.end(), [](const Edge& a, const Edge& b) { return a.toPort < b.toPort; });
    return r;
}

std::vector<Edge> Graph::outputsOf(const std::string& id) const {
    std::vector<Edge> r;
    for (const Edge& e : m_edges)
        if (e.from == id) r.push_back(e);
    return r;
}

std::string Graph::makeId() const {
    for (size_t i = m_nodes.size() + 1;; ++i) {
        std::string id = "n" + std::to_string(i);
        if (!findNode(id)) return id;
    }
}

std::string Graph::makeName(const std::string& base) const {
    if (!findNodeByName(base)) return base;
    // A copy of "conv2d_2" is "conv2d_3" (the next free number), not "conv2d_2_2".
    std::string stem = base;
    const size_t cut = base.rfind('_');
    if (cut != std::string::npos && cut > 0 && cut + 1 < base.size() &&
        base.find_first_not_of("0123456789", cut + 1) == std::string::npos)
        stem = base.substr(0, cut);
    for (int i = 2;; ++i) {
        std::string name = stem + "_" + std::to_string(i);
        if (!findNodeByName(name)) return name;
    }
}

bool Graph::wouldCreateCycle(const Edge& edge) const {
    if (edge.from == edge.to) return true;
    // A cycle appears if `from` is reachable from `to`.
    std::set<std::string> seen;
    std::vector<std::string> stack{edge.to};
    while (!stack.empty()) {
        std::string cur = stack.back();
        stack.pop_back();
        if (cur == edge.from) return true;
        if (!seen.insert(cur).second) continue;
        for (const Edge& e : m_edges)
            if (e.from == cur) stack.push_back(e.to);
    }
    return false;
}

}  // namespace netloom::engine
