#pragma once
// Undo step for the search kept in the project (Project::search): the Experiments view's space
// editor stores its space, strategy and budget through it, so saving the project saves them and
// Edit ▸ Undo takes them back.
#include <QObject>
#include <QUndoCommand>
#include <optional>

#include "ui/document/graph_document.h"

namespace netloom::ui {

class SetSearchCommand : public QUndoCommand {
public:
    SetSearchCommand(GraphDocument* doc, std::optional<engine::ProjectSearch> search)
        : QUndoCommand(search ? QObject::tr("Store the search space in the project")
                              : QObject::tr("Remove the search space from the project")),
          m_doc(doc),
          m_old(doc->project().search),
          m_new(std::move(search)) {}
    void redo() override { m_doc->setSearch(m_new); }
    void undo() override { m_doc->setSearch(m_old); }

private:
    GraphDocument* m_doc;
    std::optional<engine::ProjectSearch> m_old, m_new;
};

}  // namespace netloom::ui
