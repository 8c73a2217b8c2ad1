#include "ui/commands/structure_commands.h"

#include <QCoreApplication>
#include <algorithm>
#include <cctype>
#include <map>

#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "ui/canvas/ports.h"

namespace netloom::ui {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}

std::string baseName(const std::string& type) {
    std::string s;
    for (char c : type) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.empty() ? "layer" : s;
}

const engine::Node& nodeOrThrow(const engine::Graph& g, const std::string& id) {
    return g.node(id);
}

QString quoted(const std::string& s) {
    return "'" + QString::fromStdString(s) + "'";
}

void checkedConnect(engine::Graph& g, const engine::Edge& e, const engine::Edge* replacing) {
    const std::string why = connectionProblem(g, e, replacing);
    if (!why.empty()) throw Error("Cannot connect: " + why);
    if (replacing) g.disconnect(*replacing);
    g.connect(e);
}

}  // namespace

engine::Node makeNewNode(const engine::Graph& graph, const std::string& type) {
    const engine::LayerDef* def = engine::findLayerDef(type);
    if (!def) throw Error("unknown layer type '" + type + "'");
    engine::Node n;
    n.id = graph.makeId();
    n.type = type;
    n.name = graph.makeName(baseName(def->type()));
    for (const auto& spec : def->schema()) n.params.set(spec.key, spec.defaultValue);
    return n;
}

AddNodeCommand::AddNodeCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                               QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    engine::Node n = makeNewNode(s.graph, type);
    m_id = n.id;
    setText(tr("Add %1").arg(quoted(n.name)));
    s.graph.addNode(n);
    s.layout[n.id] = engine::NodeUi{pos.x(), pos.y(), {}};
    setAfter(s);
}

DeleteCommand::DeleteCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds,
                             const std::vector<engine::Edge>& edges, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    for (const auto& e : edges) s.graph.disconnect(e);
    for (const auto& id : nodeIds) {
        nodeOrThrow(s.graph, id);
        s.graph.removeNode(id);
        s.layout.erase(id);
    }
    if (nodeIds.size() == 1)
        setText(tr("Delete %1").arg(quoted(doc->graph().node(nodeIds[0]).name)));
    else if (!nodeIds.empty())
        setText(tr("Delete %1 layers").arg(nodeIds.size()));
    else
        setText(edges.size() == 1 ? tr("Delete connection") : tr("Delete connections"));
    setAfter(s);
}

ConnectCommand::ConnectCommand(GraphDocument* doc, const engine::Edge& edge, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    checkedConnect(s.graph, edge, nullptr);
    setText(tr("Connect %1 to %2")
                .arg(quoted(s.graph.node(edge.from).name), quoted(s.graph.node(edge.to).name)));
    setAfter(s);
}

DisconnectCommand::DisconnectCommand(GraphDocument* doc, const std::vector<engine::Edge>& edges,
                                     QUndoCommand* parent)
    : GraphEditCommand(doc, edges.size() == 1 ? tr("Disconnect") : tr("Disconnect connections"),
                       parent) {
    GraphState s = doc->graphState();
    for (const auto& e : edges)
        if (!s.graph.disconnect(e)) throw Error("that connection no longer exists");
    setAfter(s);
}

ReconnectCommand::ReconnectCommand(GraphDocument* doc, const engine::Edge& oldEdge,
                                   const engine::Edge& newEdge, QUndoCommand* parent)
    : GraphEditCommand(doc, tr("Reconnect"), parent) {
    GraphState s = doc->graphState();
    if (!s.graph.hasEdge(oldEdge)) throw Error("that connection no longer exists");
    checkedConnect(s.graph, newEdge, &oldEdge);
    setAfter(s);
}

ReplaceConnectionCommand::ReplaceConnectionCommand(GraphDocument* doc, const engine::Edge& feed,
                                                   const engine::Edge& edge,
                                                   const std::optional<engine::Edge>& pickedUp,
                                                   QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    if (!s.graph.hasEdge(feed) || (pickedUp && !s.graph.hasEdge(*pickedUp)))
        throw Error("that connection no longer exists");
    if (pickedUp) s.graph.disconnect(*pickedUp);
    s.graph.disconnect(feed);
    checkedConnect(s.graph, edge, nullptr);
    setText(tr("Replace the connection into %1").arg(quoted(s.graph.node(edge.to).name)));
    setAfter(s);
}

AddAfterCommand::AddAfterCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                                 const std::string& from, int fromPort, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    engine::Node n = makeNewNode(s.graph, type);
    m_id = n.id;
    const std::string fromName = nodeOrThrow(s.graph, from).name;
    setText(tr("Add %1 after %2").arg(quoted(n.name), quoted(fromName)));
    s.graph.addNode(n);
    s.layout[n.id] = engine::NodeUi{pos.x(), pos.y(), {}};
    checkedConnect(s.graph, {from, fromPort, n.id, 0}, nullptr);
    setAfter(s);
}

PasteCommand::PasteCommand(GraphDocument* doc, const Fragment& fragment, QPointF offset,
                           const QString& text, QUndoCommand* parent)
    : GraphEditCommand(doc, text.isEmpty() ? tr("Paste") : text, parent) {
    if (fragment.empty()) throw Error("nothing to paste");
    GraphState s = doc->graphState();
    std::map<std::string, std::string> newId;
    for (const auto& n : fragment.nodes) {
        engine::Node copy = n;
        copy.id = s.graph.makeId();
        copy.name = s.graph.makeName(n.name);
        newId[n.id] = copy.id;
        m_ids.push_back(copy.id);
        auto it = fragment.layout.find(n.id);
        engine::NodeUi ui = it == fragment.layout.end() ? engine::NodeUi{} : it->second;
        ui.x += offset.x();
        ui.y += offset.y();
        s.layout[copy.id] = ui;
        s.graph.addNode(std::move(copy));
    }
    for (const auto& e : fragment.edges) {
        if (!newId.count(e.from) || !newId.count(e.to)) continue;
        s.graph.connect({newId[e.from], e.fromPort, newId[e.to], e.toPort});
    }
    setAfter(s);
}

InsertOnEdgeCommand::InsertOnEdgeCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                                         const engine::Edge& edge, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent) {
    GraphState s = doc->graphState();
    if (!s.graph.hasEdge(edge)) throw Error("that connection no longer exists");
    engine::Node n = makeNewNode(s.graph, type);
    if (maxInputPorts(n) < 1)
        throw Error("a " + type + " layer takes no input, so it cannot go on a connection");
    m_id = n.id;
    setText(tr("Insert %1").arg(quoted(n.name)));
    s.graph.disconnect(edge);
    s.graph.addNode(n);
    s.layout[n.id] = engine::NodeUi{pos.x(), pos.y(), {}};
    s.graph.connect({edge.from, edge.fromPort, n.id, 0});
    s.graph.connect({n.id, 0, edge.to, edge.toPort});
    setAfter(s);
}

}  // namespace netloom::ui
