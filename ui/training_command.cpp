#include "ui/training_command.h"

#include <QCoreApplication>

namespace netloom::ui {

SetTrainingCommand::SetTrainingCommand(GraphDocument* doc, const engine::TrainingConfig& config,
                                       const QString& field, QUndoCommand* parent)
    : QUndoCommand(parent), m_doc(doc), m_field(field), m_old(doc->training()), m_new(config) {
    setText(QCoreApplication::translate("Commands", "Set training %1").arg(field));
}

bool SetTrainingCommand::mergeWith(const QUndoCommand* other) {
    auto* o = dynamic_cast<const SetTrainingCommand*>(other);
    if (!o || o->m_doc != m_doc || o->m_field != m_field) return false;
    m_new = o->m_new;
    setObsolete(m_new == m_old);
    return true;
}

}  // namespace netloom::ui
