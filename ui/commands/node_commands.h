#pragma once
// Undo commands that change one aspect of existing nodes: position, parameters, name, comment.
// They store only the old and new values (and the network edited: undo and redo switch the
// document to it first). Constructors throw netloom::Error for invalid edits.
#include <QPointF>
#include <QUndoCommand>
#include <functional>
#include <map>
#include <string>

#include "ui/document/graph_document.h"

namespace netloom::ui {

// Consecutive changes of one field merge into one undo step only while the user is still
// editing it: each change within kMergeWindowMs of the previous change of that field (spin box
// arrows held down, a value typed digit by digit). A change after a pause is a step of its own.
inline constexpr qint64 kMergeWindowMs = 1500;
qint64 editClockMs();  // monotonic milliseconds, the clock merging is decided by
// Replaces the clock (tests); an empty function restores the real one.
void setEditClockForTesting(std::function<qint64()> clock);

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

// Sets one parameter. Quick successive edits of the same parameter of the same node merge into
// one step (see kMergeWindowMs); a merge that ends where it started disappears. The step reads
// "Set Units of 'fc1' to 128".
class SetParamCommand : public QUndoCommand {
public:
    SetParamCommand(GraphDocument* doc, const std::string& nodeId, const std::string& key,
                    const engine::ParamValue& value, QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override { return 1001; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void updateText();
    GraphDocument* m_doc;
    int m_network;
    std::string m_nodeId, m_key;
    engine::ParamSpec m_spec;
    engine::Params m_old, m_new;
    qint64 m_time;  // of the last change merged into this step
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
