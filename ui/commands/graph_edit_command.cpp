#include "ui/commands/graph_edit_command.h"

#include <algorithm>

namespace netloom::ui {

namespace {

engine::Graph buildGraph(const std::vector<engine::Node>& nodes,
                         const std::vector<engine::Edge>& edges) {
    engine::Graph g;
    for (const auto& n : nodes) g.addNode(n);
    for (const auto& e : edges) g.connect(e);
    return g;
}

// Elements of `before` missing from the in-order match against `after`, and the tail of
// `after` that was appended.
template <typename T>
void diffList(const std::vector<T>& before, const std::vector<T>& after,
              std::vector<std::pair<size_t, T>>& removed, std::vector<T>& added) {
    size_t j = 0;
    for (size_t i = 0; i < before.size(); ++i) {
        if (j < after.size() && before[i] == after[j])
            ++j;
        else
            removed.emplace_back(i, before[i]);
    }
    added.assign(after.begin() + static_cast<std::ptrdiff_t>(j), after.end());
}

template <typename T>
std::vector<T> removeThenAppend(std::vector<T> list, const std::vector<std::pair<size_t, T>>& gone,
                                const std::vector<T>& added) {
    for (auto it = gone.rbegin(); it != gone.rend(); ++it)
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(it->first));
    list.insert(list.end(), added.begin(), added.end());
    return list;
}

template <typename T>
std::vector<T> dropThenReinsert(std::vector<T> list, const std::vector<std::pair<size_t, T>>& gone,
                                const std::vector<T>& added) {
    list.resize(list.size() - added.size());
    for (const auto& [index, item] : gone)
        list.insert(list.begin() + static_cast<std::ptrdiff_t>(index), item);
    return list;
}

void applyLayout(std::map<std::string, engine::NodeUi>& layout,
                 const std::map<std::string, std::optional<engine::NodeUi>>& values) {
    for (const auto& [id, ui] : values) {
        if (ui)
            layout[id] = *ui;
        else
            layout.erase(id);
    }
}

}  // namespace

GraphEditCommand::GraphEditCommand(GraphDocument* doc, const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), m_doc(doc), m_network(doc->activeNetwork()) {}

GraphEditCommand::Diff GraphEditCommand::computeDiff(const GraphState& before,
                                                     const GraphState& after) {
    Diff d;
    diffList(before.graph.nodes(), after.graph.nodes(), d.removedNodes, d.addedNodes);
    diffList(before.graph.edges(), after.graph.edges(), d.removedEdges, d.addedEdges);
    std::set<std::string> ids;
    for (const auto& [id, ui] : before.layout) ids.insert(id);
    for (const auto& [id, ui] : after.layout) ids.insert(id);
    for (const std::string& id : ids) {
        auto b = before.layout.find(id);
        auto a = after.layout.find(id);
        std::optional<engine::NodeUi> bv, av;
        if (b != before.layout.end()) bv = b->second;
        if (a != after.layout.end()) av = a->second;
        if (bv == av) continue;
        d.layoutBefore[id] = bv;
        d.layoutAfter[id] = av;
    }
    if (before.groups != after.groups) d.groups.emplace(before.groups, after.groups);
    return d;
}

GraphState GraphEditCommand::applyForward(const GraphState& s, const Diff& d) {
    GraphState r;
    r.graph = buildGraph(removeThenAppend(s.graph.nodes(), d.removedNodes, d.addedNodes),
                         removeThenAppend(s.graph.edges(), d.removedEdges, d.addedEdges));
    r.layout = s.layout;
    applyLayout(r.layout, d.layoutAfter);
    r.groups = d.groups ? d.groups->second : s.groups;
    return r;
}

GraphState GraphEditCommand::applyBackward(const GraphState& s, const Diff& d) {
    GraphState r;
    r.graph = buildGraph(dropThenReinsert(s.graph.nodes(), d.removedNodes, d.addedNodes),
                         dropThenReinsert(s.graph.edges(), d.removedEdges, d.addedEdges));
    r.layout = s.layout;
    applyLayout(r.layout, d.layoutBefore);
    r.groups = d.groups ? d.groups->first : s.groups;
    return r;
}

void GraphEditCommand::setAfter(const GraphState& requested) {
    const GraphState before = m_doc->graphState();
    // Groups lose the nodes the edit removes here, so undo restores exactly what was there.
    GraphState after = requested;
    after.groups = engine::pruneGroups(after.graph, std::move(after.groups));
    m_diff = computeDiff(before, after);
    bool exact = false;
    try {
        exact = applyForward(before, m_diff) == after && applyBackward(after, m_diff) == before;
    } catch (const std::exception&) {
        exact = false;
    }
    if (!exact) {
        m_snapshot.emplace(before, after);
        m_diff = Diff{};
    }

    std::set<std::string> touched, kept;
    for (const auto& n : after.graph.nodes()) kept.insert(n.id);
    for (const auto& n : before.graph.nodes())
        if (!kept.count(n.id)) m_goneIds.push_back(n.id);
    for (const auto& [i, n] : m_diff.removedNodes) touched.insert(n.id);
    for (const auto& n : m_diff.addedNodes) touched.insert(n.id);
    for (const auto& [i, e] : m_diff.removedEdges) touched.insert(e.from), touched.insert(e.to);
    for (const auto& e : m_diff.addedEdges) touched.insert(e.from), touched.insert(e.to);
    for (const auto& [id, ui] : m_diff.layoutAfter) touched.insert(id);
    if (m_diff.groups)
        for (const auto* list : {&m_diff.groups->first, &m_diff.groups->second})
            for (const auto& g : *list) touched.insert(g.members.begin(), g.members.end());
    for (const auto& id : touched) m_touched << QString::fromStdString(id);
}

void GraphEditCommand::redo() {
    m_doc->setActiveNetwork(m_network);
    const GraphState now = m_doc->graphState();
    GraphState next = m_snapshot ? m_snapshot->second : applyForward(now, m_diff);
    m_weights = m_doc->takeWeights(m_goneIds);
    m_doc->setGraphState(std::move(next), m_touched);
}

void GraphEditCommand::undo() {
    m_doc->setActiveNetwork(m_network);
    const GraphState now = m_doc->graphState();
    GraphState prev = m_snapshot ? m_snapshot->first : applyBackward(now, m_diff);
    m_doc->putWeights(std::move(m_weights));
    m_weights.clear();
    m_doc->setGraphState(std::move(prev), m_touched);
}

}  // namespace netloom::ui
