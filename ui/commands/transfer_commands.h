#pragma once
// Undo commands of transfer learning: freezing layers (the lock on a node card and in the
// inspector), a layer's learning-rate multiplier, and layers imported with their trained
// weights from another project (File ▸ Import layers from project…).
#include <QString>
#include <QUndoCommand>
#include <string>
#include <vector>

#include "engine/project/layer_import.h"
#include "ui/commands/graph_edit_command.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

// Freezes or unfreezes layers: "Freeze 'fc1'", "Unfreeze 3 layers". Throws for unknown ids.
class SetFrozenCommand : public QUndoCommand {
public:
    SetFrozenCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds, bool frozen,
                     QUndoCommand* parent = nullptr);
    void redo() override { apply(true); }
    void undo() override { apply(false); }

private:
    void apply(bool forward);
    GraphDocument* m_doc;
    int m_network;
    std::vector<std::string> m_ids;
    std::vector<bool> m_old;
    bool m_new;
};

// Sets a layer's learning-rate multiplier; refuses a negative or non-finite one (the engine's
// rule, named). Quick successive edits of one layer's multiplier merge, as SetParamCommand's.
class SetLrMultiplierCommand : public QUndoCommand {
public:
    SetLrMultiplierCommand(GraphDocument* doc, const std::string& nodeId, double multiplier,
                           QUndoCommand* parent = nullptr);
    void redo() override { apply(m_new); }
    void undo() override { apply(m_old); }
    int id() const override { return 1002; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void apply(double value);
    GraphDocument* m_doc;
    int m_network;
    std::string m_nodeId;
    double m_old, m_new;
    qint64 m_time;
};

// Adds planned imported layers (engine::planLayerImport) with their trained weights, in one
// step; undo takes layers and weights away again.
class ImportLayersCommand : public GraphEditCommand {
public:
    ImportLayersCommand(GraphDocument* doc, engine::LayerImport import, const QString& source,
                        QUndoCommand* parent = nullptr);
    void redo() override;
    void undo() override;
    std::vector<std::string> importedIds() const { return m_import.ids(); }

private:
    engine::LayerImport m_import;
};

// Reads the project at `path`, plans the import of `nodeIds` of its network `network` into the
// document's current network and pushes the command. Returns "" or the reason nothing was
// imported (the file's problem, or the layer that does not fit and why).
QString importLayersInto(GraphDocument* doc, const QString& path, int network,
                         const std::vector<std::string>& nodeIds, const std::string& attachTo,
                         QPointF at);
QString importLayersInto(GraphDocument* doc, const engine::Project& source, const QString& name,
                         int network, const std::vector<std::string>& nodeIds,
                         const std::string& attachTo, QPointF at);

}  // namespace netloom::ui
