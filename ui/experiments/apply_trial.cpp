#include "ui/experiments/apply_trial.h"

#include <QUndoCommand>

#include "engine/core/error.h"
#include "engine/search/search_runner.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/training_command.h"

namespace netloom::ui {

QString applyBestTrial(GraphDocument* doc, const engine::SearchRecord& record) {
    const engine::Trial* best = engine::bestTrial(record.trials, record.space.maximize);
    if (!best) throw Error("no trial of the search finished: nothing to apply");
    // The engine computes the result (and refuses what does not fit); the commands replay it.
    const engine::Project after = engine::applyBestTrial(doc->project(), record);
    const QString label = QObject::tr("Apply best trial %1").arg(best->number);
    auto* macro = new QUndoCommand(label);
    if (!(after.training == doc->project().training))
        new SetTrainingCommand(doc, after.training, "search", macro);
    const engine::Graph& before = doc->graph();
    const engine::Graph& changed = after.networks[static_cast<size_t>(doc->activeNetwork())].graph;
    for (const engine::Node& n : changed.nodes()) {
        const engine::Node* old = before.findNode(n.id);
        if (!old) continue;
        for (const auto& [key, value] : n.params.values())
            if (!old->params.has(key) || !(old->params.values().at(key) == value))
                new SetParamCommand(doc, n.id, key, value, macro);
    }
    doc->undoStack()->push(macro);
    return label;
}

}  // namespace netloom::ui
