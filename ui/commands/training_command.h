#pragma once
// Undo command for the training settings. Quick successive changes of the same field merge into
// one step (see kMergeWindowMs in node_commands.h); the step reads "Set dataset to Fashion-MNIST",
// its words taken from the settings schema (engine/settings).
#include <QUndoCommand>
#include <vector>

#include "ui/document/graph_document.h"

namespace netloom::engine {
struct SettingDef;
}

namespace netloom::ui {

class SetTrainingCommand : public QUndoCommand {
public:
    // `field` names what changed, a setting id or alias ("optimizer.lr", "lr", "dataset.kind")
    // or an optional settings object ("gan.discriminator_optimizer"): it drives merging, and
    // with the new config it makes the step's label.
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

// The settings that mean something for `config`: of a group its task shows (TaskDef::
// settingGroups(), plus the "task" group) and applying to it (SettingDef::appliesTo), in schema
// order. An unknown task shows every group.
std::vector<const engine::SettingDef*> settingsOfTask(const engine::TrainingConfig& config);
// A setting's label inside a sentence: "Learning rate" → "learning rate" ("L1" stays).
QString settingPhrase(const std::string& label);
// A setting's value as the settings and undo labels show it: "0.001", "off", "SGD", a file name.
QString settingValueText(const engine::SettingDef& def, const engine::TrainingConfig& config);

}  // namespace netloom::ui
