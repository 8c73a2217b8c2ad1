#pragma once
// Base of the structural undo commands (add, delete, connect, paste, ...). A subclass computes
// the state after its edit on a copy, with the engine's own checks (so an invalid edit throws
// netloom::Error before anything changes), then calls setAfter(). The command keeps only the
// difference: nodes/edges removed (with their positions in the lists) and appended, and the
// layout entries that changed, so undo restores the exact document cheaply.
#include <QUndoCommand>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "ui/document/graph_document.h"

namespace netloom::ui {

class GraphEditCommand : public QUndoCommand {
public:
    void redo() override;
    void undo() override;

protected:
    GraphEditCommand(GraphDocument* doc, const QString& text, QUndoCommand* parent);
    void setAfter(const GraphState& after);  // call once, from the subclass constructor

    GraphDocument* m_doc;
    int m_network;  // the network edited: undo and redo switch the document to it first

private:
    struct Diff {
        std::vector<std::pair<size_t, engine::Node>> removedNodes;  // ascending indices
        std::vector<std::pair<size_t, engine::Edge>> removedEdges;
        std::vector<engine::Node> addedNodes;  // appended in this order
        std::vector<engine::Edge> addedEdges;
        std::map<std::string, std::optional<engine::NodeUi>> layoutBefore, layoutAfter;
        // The groups before and after, when the edit changed them (small lists: kept whole).
        std::optional<std::pair<std::vector<engine::NodeGroup>, std::vector<engine::NodeGroup>>>
            groups;
    };
    static GraphState applyForward(const GraphState& s, const Diff& d);
    static GraphState applyBackward(const GraphState& s, const Diff& d);
    static Diff computeDiff(const GraphState& before, const GraphState& after);

    Diff m_diff;
    // Fallback when the edit is not "remove some, append some" (never for the commands here).
    std::optional<std::pair<GraphState, GraphState>> m_snapshot;
    std::vector<std::string> m_goneIds;  // nodes removed and not re-added
    QStringList m_touched;
    engine::WeightSet m_weights;  // trained weights of m_goneIds while the edit is applied
};

}  // namespace netloom::ui
