#include "ui/training/training_controller.h"

#include "engine/tasks/registry.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

TrainingController::TrainingController(GraphDocument* doc, QObject* parent)
    : RunController(doc, parent) {}

TrainingController::~TrainingController() {
    stopAndJoin();
}

bool TrainingController::start() {
    if (isActive()) return false;
    if (!m_doc->analysis().ok()) {
        emit failed(tr("The network cannot train yet: %1")
                        .arg(QString::fromStdString(m_doc->analysis().firstProblem())));
        return false;
    }
    const engine::TaskDef* task = engine::findTask(m_doc->training().task);
    m_lrChange = std::make_shared<engine::LearningRateChange>();
    engine::RunOptions options;
    options.pauseOnNonFinite = true;  // a NaN pauses (rolled back) instead of ending the run
    const int64_t every = m_snapshotEvery >= 0 ? m_snapshotEvery
                          : task               ? task->views().snapshotEveryBatches
                                               : 0;
    return startRun({m_lrChange, std::make_shared<engine::LossWatchHook>(m_explosionFactor)},
                    options, every);
}

bool TrainingController::resetWeights() {
    if (isActive()) return false;
    if (m_doc->project().model().weights.empty()) return true;
    m_doc->clearWeights();
    m_doc->markModified();
    emit weightsReset();
    return true;
}

void TrainingController::setExplosionFactor(double factor) {
    m_explosionFactor = factor;  // read when the next run starts
}

void TrainingController::setLearningRate(double lr) {
    if (m_lrChange && isActive() && lr > 0) m_lrChange->request(lr);
}

}  // namespace netloom::ui
