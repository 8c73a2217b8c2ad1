#pragma once
// File ▸ Import weights…: weights trained elsewhere (the exported PyTorch script's trained.nlw,
// engine/export/pytorch_import.h) replace the project's as one undoable edit, so the document
// becomes modified, Undo brings the previous weights back, and the evaluation views, draw pad
// and `Evaluate` use the imported ones.
#include <QUndoCommand>
#include <vector>

#include "ui/document/graph_document.h"

namespace netloom::ui {

class ImportWeightsCommand : public QUndoCommand {
public:
    ImportWeightsCommand(GraphDocument* doc, std::vector<engine::WeightSet> weights,
                         const QString& fileName);
    void redo() override { m_doc->replaceAllWeights(m_new); }
    void undo() override { m_doc->replaceAllWeights(m_old); }

private:
    GraphDocument* m_doc;
    std::vector<engine::WeightSet> m_old, m_new;
};

// Reads `path` against the document's project and pushes the command. Returns an empty string,
// or the reason nothing was imported (the file's problems, named).
QString importWeightsInto(GraphDocument* doc, const QString& path);

}  // namespace netloom::ui
