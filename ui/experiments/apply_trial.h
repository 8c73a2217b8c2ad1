#pragma once
// "Apply best trial": writes a search's best finished trial into the document as one undo step
// (the training settings it searched and each layer parameter it changed; the fixed trial
// settings such as a short epoch count stay out). Returns the step's label, or throws Error when
// no trial finished or a value no longer fits the project.
#include <QString>

#include "engine/search/trial_store.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

QString applyBestTrial(GraphDocument* doc, const engine::SearchRecord& record);

}  // namespace netloom::ui
