#include "ui/commands/group_commands.h"

#include <QCoreApplication>
#include <algorithm>
#include <map>
#include <set>

#include "engine/core/error.h"
#include "ui/canvas/ports.h"

namespace netloom::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}

QString quoted(const std::string& s) {
    return "'" + QString::fromStdString(s) + "'";
}

engine::NodeGroup& groupOrThrow(GraphState& s, const std::string& id) {
    for (engine::NodeGroup& g : s.groups)
        if (g.id == id) return g;
    throw Error("no group with id '" + id + "'");
}

// "block", "block_2", ...: names of groups are unique so the user can tell them apart.
std::string freshGroupName(const std::vector<engine::NodeGroup>& groups, const std::string& base) {
    auto taken = [&](const std::string& n) {
        return std::any_of(groups.begin(), groups.end(),
                           [&](const engine::NodeGroup& g) { return g.name == n; });
    };
    if (!taken(base)) return base;
    for (int i = 2;; ++i)
        if (const std::string n = base + "_" + std::to_string(i); !taken(n)) return n;
}

}  // namespace

GroupCommand::GroupCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds,
                           const std::string& name, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    if (nodeIds.empty()) throw Error("Select the layers to group first");
    GraphState s = doc->graphState();
    engine::NodeGroup g;
    g.id = engine::makeGroupId(s.groups);
    g.name = freshGroupName(s.groups, name.empty() ? "group" : name);
    std::set<std::string> wanted(nodeIds.begin(), nodeIds.end());
    for (const engine::Node& n : s.graph.nodes()) {  // document order
        if (!wanted.count(n.id)) continue;
        if (const engine::NodeGroup* other = engine::groupOfNode(s.groups, n.id))
            throw Error("'" + n.name + "' is already in group '" + other->name +
                        "'; ungroup it first");
        g.members.push_back(n.id);
    }
    if (g.members.size() != wanted.size()) throw Error("some of those layers no longer exist");
    m_id = g.id;
    setText(tr("Group %1 layers as %2").arg(g.members.size()).arg(quoted(g.name)));
    s.groups.push_back(std::move(g));
    setAfter(s);
}

UngroupCommand::UngroupCommand(GraphDocument* doc, const std::string& groupId, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    const std::string name = groupOrThrow(s, groupId).name;
    s.groups.erase(std::remove_if(s.groups.begin(), s.groups.end(),
                                  [&](const engine::NodeGroup& g) { return g.id == groupId; }),
                   s.groups.end());
    setText(tr("Ungroup %1").arg(quoted(name)));
    setAfter(s);
}

RenameGroupCommand::RenameGroupCommand(GraphDocument* doc, const std::string& groupId,
                                       const std::string& name, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    if (name.empty()) throw Error("a group needs a name");
    GraphState s = doc->graphState();
    engine::NodeGroup& g = groupOrThrow(s, groupId);
    setText(tr("Rename group %1 to %2").arg(quoted(g.name), quoted(name)));
    g.name = name;
    setAfter(s);
}

SetGroupCollapsedCommand::SetGroupCollapsedCommand(GraphDocument* doc, const std::string& groupId,
                                                   bool collapsed, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    engine::NodeGroup& g = groupOrThrow(s, groupId);
    g.collapsed = collapsed;
    setText((collapsed ? tr("Collapse %1") : tr("Expand %1")).arg(quoted(g.name)));
    setAfter(s);
}

InsertBlockCommand::InsertBlockCommand(GraphDocument* doc, const Fragment& fragment,
                                       const std::vector<BlockEntry>& entries,
                                       const std::string& name, QPointF topLeft,
                                       const std::optional<std::pair<std::string, int>>& source,
                                       QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    if (fragment.empty()) throw Error("the block '" + name + "' has no layers");
    GraphState s = doc->graphState();
    double left = 1e300, top = 1e300;
    for (const auto& [id, ui] : fragment.layout)
        left = std::min(left, ui.x), top = std::min(top, ui.y);
    std::map<std::string, std::string> newId;
    engine::NodeGroup g;
    for (const engine::Node& n : fragment.nodes) {
        engine::Node copy = n;
        copy.id = s.graph.makeId();
        copy.name = s.graph.makeName(n.name);
        newId[n.id] = copy.id;
        auto it = fragment.layout.find(n.id);
        engine::NodeUi ui = it == fragment.layout.end() ? engine::NodeUi{} : it->second;
        ui.x += topLeft.x() - left;
        ui.y += topLeft.y() - top;
        s.layout[copy.id] = ui;
        g.members.push_back(copy.id);
        m_ids.push_back(copy.id);
        s.graph.addNode(std::move(copy));
    }
    for (const engine::Edge& e : fragment.edges)
        s.graph.connect({newId.at(e.from), e.fromPort, newId.at(e.to), e.toPort});
    if (source) {
        for (const BlockEntry& entry : entries) {
            auto it = newId.find(entry.nodeId);
            if (it == newId.end())
                throw Error("the block '" + name + "' feeds '" + entry.nodeId +
                            "', which is not one of its layers");
            const engine::Edge e{source->first, source->second, it->second, entry.port};
            const std::string why = connectionProblem(s.graph, e, nullptr);
            if (!why.empty()) throw Error("Cannot connect the block: " + why);
            s.graph.connect(e);
        }
    }
    g.id = engine::makeGroupId(s.groups);
    g.name = freshGroupName(s.groups, name);
    m_group = g.id;
    setText(tr("Add block %1").arg(quoted(g.name)));
    s.groups.push_back(std::move(g));
    setAfter(s);
}

}  // namespace netloom::ui
