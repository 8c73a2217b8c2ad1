#include "ui/training/live_weights.h"

#include "ui/document/graph_document.h"
#include "ui/training/training_controller.h"

namespace netloom::ui {

LiveWeights::LiveWeights(GraphDocument* doc, TrainingController* controller, QObject* parent)
    : QObject(parent), m_doc(doc) {
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Layout) return;
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Weights)
            takeFromDocument();  // another project (a revert, an import): its own weights
        else
            bump();  // graph edits may orphan the weights; settings may change the data
    });
    if (controller) {
        connect(controller, &TrainingController::epochWeights, this,
                [this](std::shared_ptr<const engine::WeightSet> w, qint64 epoch) {
                    m_weights = std::move(w);
                    m_epoch = epoch;
                    bump();
                });
        connect(controller, &TrainingController::finished, this, &LiveWeights::takeFromDocument);
        connect(controller, &TrainingController::failed, this, &LiveWeights::takeFromDocument);
        connect(controller, &TrainingController::weightsReset, this,
                &LiveWeights::takeFromDocument);
    }
    takeFromDocument();
}

void LiveWeights::takeFromDocument() {
    const engine::WeightSet& w = m_doc->project().model().weights;
    m_weights = w.empty() ? nullptr : std::make_shared<const engine::WeightSet>(w);
    m_epoch = 0;
    bump();
}

void LiveWeights::bump() {
    ++m_version;
    emit changed();
}

}  // namespace netloom::ui
