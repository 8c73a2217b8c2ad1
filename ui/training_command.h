#pragma once
// Undo command for the training settings. Consecutive changes of the same field merge.
#include <QUndoCommand>

#include "ui/graph_document.h"

namespace netloom::ui {

class SetTrainingCommand : public QUndoCommand {
public:
    // `field` names what changed ("lr", "epochs"): it labels the step and drives merging.
    SetTrainingCommand(GraphDocument* doc, const engine::TrainingConfig& config,
                       const QString& field, QUndoCommand* parent = nullptr);
    void redo() override { m_doc->setTraining(m_new); }
    void undo() override { m_doc->setTraining(m_old); }
    int id() const override { return 1002; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_doc;
    QString m_field;
    engine::TrainingConfig m_old, m_new;
};

}  // namespace netloom::ui
