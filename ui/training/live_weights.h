#pragma once
// The weights the evaluation views (test-image gallery, regression scatter, draw pad, decision
// regions) show: the document's trained weights, replaced by each epoch's weights while a run is
// going, and the document's again when it ends, is reset, or another project is opened.
#include <QObject>
#include <QPointer>
#include <memory>

#include "engine/project/project.h"

namespace netloom::ui {

class GraphDocument;
class TrainingController;

class LiveWeights : public QObject {
    Q_OBJECT
public:
    LiveWeights(GraphDocument* doc, TrainingController* controller, QObject* parent = nullptr);

    GraphDocument* document() const { return m_doc; }
    // Null when the network is untrained.
    std::shared_ptr<const engine::WeightSet> weights() const { return m_weights; }
    // The epoch these weights come from while a run is going; 0 for the document's weights.
    qint64 epoch() const { return m_epoch; }
    // Counts every change, so views can skip work they already did.
    quint64 version() const { return m_version; }

signals:
    // Weights, graph or dataset settings changed: views refresh (when visible).
    void changed();

private:
    void takeFromDocument();
    void bump();

    QPointer<GraphDocument> m_doc;
    std::shared_ptr<const engine::WeightSet> m_weights;
    qint64 m_epoch = 0;
    quint64 m_version = 0;
};

}  // namespace netloom::ui
