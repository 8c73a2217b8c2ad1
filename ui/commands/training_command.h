#pragma once
// Undo command for the training settings. Quick successive changes of the same field merge into
// one step (see kMergeWindowMs in node_commands.h); the step reads "Set dataset to Fashion-MNIST".
#include <QUndoCommand>

#include "ui/document/graph_document.h"

namespace netloom::ui {

class SetTrainingCommand : public QUndoCommand {
public:
    // `field` names what changed ("lr", "dataset.kind"): it drives merging, and with the new
    // config it makes the step's label.
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
    qint64 m_time;  // of the last change merged into this step
};

// "Set learning rate to 0.01": the undo label of a change of `field` to its value in `config`.
QString trainingChangeText(const QString& field, const engine::TrainingConfig& config);

// "Adam", "SGD", ...: how the settings and the undo labels name an optimizer type.
QString optimizerName(const std::string& type);

}  // namespace netloom::ui
