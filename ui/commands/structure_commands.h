#pragma once
// Undo commands that change the graph's structure. Constructors check the edit with the
// engine's rules and throw netloom::Error (nothing changed) when it is not allowed; push() on
// the document's undo stack then applies it.
#include <QPointF>
#include <optional>
#include <string>
#include <vector>

#include "ui/commands/graph_edit_command.h"
#include "ui/document/fragment.h"

namespace netloom::ui {

// A fresh node of this layer type with every parameter at its default; throws when unknown.
engine::Node makeNewNode(const engine::Graph& graph, const std::string& type);

class AddNodeCommand : public GraphEditCommand {
public:
    AddNodeCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                   QUndoCommand* parent = nullptr);
    const std::string& nodeId() const { return m_id; }

private:
    std::string m_id;
};

// Deletes nodes (with every edge touching them) and edges.
class DeleteCommand : public GraphEditCommand {
public:
    DeleteCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds,
                  const std::vector<engine::Edge>& edges, QUndoCommand* parent = nullptr);
};

class ConnectCommand : public GraphEditCommand {
public:
    ConnectCommand(GraphDocument* doc, const engine::Edge& edge, QUndoCommand* parent = nullptr);
};

class DisconnectCommand : public GraphEditCommand {
public:
    DisconnectCommand(GraphDocument* doc, const std::vector<engine::Edge>& edges,
                      QUndoCommand* parent = nullptr);
};

// Moves one end of an existing connection to another port, in one step.
class ReconnectCommand : public GraphEditCommand {
public:
    ReconnectCommand(GraphDocument* doc, const engine::Edge& oldEdge, const engine::Edge& newEdge,
                     QUndoCommand* parent = nullptr);
};

// Connects `edge` into an input that `feed` already feeds, removing `feed` (and `pickedUp`, the
// connection being dragged by its input end, if any): one step.
class ReplaceConnectionCommand : public GraphEditCommand {
public:
    ReplaceConnectionCommand(GraphDocument* doc, const engine::Edge& feed, const engine::Edge& edge,
                             const std::optional<engine::Edge>& pickedUp = std::nullopt,
                             QUndoCommand* parent = nullptr);
};

// A new layer placed at `pos` and fed by output `fromPort` of node `from`, in one step.
class AddAfterCommand : public GraphEditCommand {
public:
    AddAfterCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                    const std::string& from, int fromPort, QUndoCommand* parent = nullptr);
    const std::string& nodeId() const { return m_id; }

private:
    std::string m_id;
};

// Adds a copied fragment with fresh ids and names, moved by `offset`.
class PasteCommand : public GraphEditCommand {
public:
    PasteCommand(GraphDocument* doc, const Fragment& fragment, QPointF offset,
                 const QString& text = {}, QUndoCommand* parent = nullptr);
    const std::vector<std::string>& pastedIds() const { return m_ids; }

private:
    std::vector<std::string> m_ids;
};

// Drops a new layer onto an edge a→b: a → new → b.
class InsertOnEdgeCommand : public GraphEditCommand {
public:
    InsertOnEdgeCommand(GraphDocument* doc, const std::string& type, QPointF pos,
                        const engine::Edge& edge, QUndoCommand* parent = nullptr);
    const std::string& nodeId() const { return m_id; }

private:
    std::string m_id;
};

}  // namespace netloom::ui
