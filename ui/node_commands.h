#pragma once
// Undo commands that change one aspect of existing nodes: position, parameters, name, comment.
// They store only the old and new values (and the network edited: undo and redo switch the
// document to it first). Constructors throw netloom::Error for invalid edits.
#include <QPointF>
#include <QUndoCommand>
#include <map>
#include <string>

#include "ui/graph_document.h"

namespace netloom::ui {

// One step for a whole drag (pushed on release) or for an auto-layout.
class MoveNodesCommand : public QUndoCommand {
public:
    MoveNodesCommand(GraphDocument* doc, const std::map<std::string, QPointF>& newPositions,
                     const QString& text = {}, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    GraphDocument* m_doc;
    int m_network;
    std::map<std::string, QPointF> m_old, m_new;
};

// Auto-layout of the whole graph as one undoable move.
MoveNodesCommand* makeAutoLayoutCommand(GraphDocument* doc);

// Sets one parameter. Consecutive edits of the same parameter of the same node merge into one
// step (spin box arrows); a merge that ends where it started disappears.
class SetParamCommand : public QUndoCommand {
public:
    SetParamCommand(GraphDocument* doc, const std::string& nodeId, const std::string& key,
                    const engine::ParamValue& value, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return 1001; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_doc;
    int m_network;
    std::string m_nodeId, m_key;
    engine::Params m_old, m_new;
};

class RenameCommand : public QUndoCommand {
public:
    RenameCommand(GraphDocument* doc, const std::string& nodeId, const std::string& name,
                  QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;

private:
    void apply(const std::string& name);
    GraphDocument* m_doc;
    int m_network;
    std::string m_nodeId, m_old, m_new;
};

class SetCommentCommand : public QUndoCommand {
public:
    SetCommentCommand(GraphDocument* doc, const std::string& nodeId, const std::string& comment,
                      QUndoCommand* parent = nullptr);
    void redo() override {
        m_doc->setActiveNetwork(m_network);
        m_doc->setNodeComment(m_nodeId, m_new);
    }
    void undo() override {
        m_doc->setActiveNetwork(m_network);
        m_doc->setNodeComment(m_nodeId, m_old);
    }

private:
    GraphDocument* m_doc;
    int m_network;
    std::string m_nodeId, m_old, m_new;
};

// Trims and checks a proposed layer name; returns the reason it is refused, or "".
std::string nameProblem(const engine::Graph& graph, const std::string& nodeId,
                        const std::string& name);

}  // namespace netloom::ui
