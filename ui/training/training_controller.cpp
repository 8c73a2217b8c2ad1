#include "ui/training/training_controller.h"

#include "engine/io/checkpoint_store.h"
#include "engine/tasks/registry.h"
#include "engine/train/checkpoint_hook.h"
#include "ui/document/graph_document.h"
#include "ui/training/attention_layout.h"

namespace netloom::ui {

TrainingController::TrainingController(GraphDocument* doc, QObject* parent)
    : RunController(doc, parent) {}

TrainingController::~TrainingController() {
    stopAndJoin();
}

bool TrainingController::start() {
    return startWith(nullptr);
}

bool TrainingController::resumeFrom(std::shared_ptr<const engine::Checkpoint> checkpoint) {
    return checkpoint && startWith(std::move(checkpoint));
}

bool TrainingController::startWith(std::shared_ptr<const engine::Checkpoint> resume) {
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
    int64_t every = m_snapshotEvery >= 0 ? m_snapshotEvery
                    : task               ? task->views().snapshotEveryBatches
                                         : 0;
    // Attention models: the live attention maps sharpen within an epoch, so snapshot the
    // weights during it too (the task's choice when it has one; at most ~4 per second reach
    // the views, and the copy is cheap next to a batch).
    if (m_snapshotEvery < 0 && every == 0 && hasAttention(m_doc->graph()))
        every = kAttentionSnapshotEvery;
    options.resumeFrom = resume;
    std::vector<std::shared_ptr<engine::RunHook>> hooks = {
        m_lrChange, std::make_shared<engine::LossWatchHook>(m_explosionFactor)};
    // Checkpoints go next to the project's file (an untitled project has none); a new run
    // forgets the previous run's, a resumed one continues them.
    const engine::CheckpointConfig& checkpoints = m_doc->training().checkpoints;
    disconnect(m_endConnection);
    if (checkpoints.active() && !m_doc->filePath().isEmpty()) {
        auto store = std::make_shared<engine::CheckpointStore>(
            engine::CheckpointStore::folderFor(m_doc->filePath().toStdString()), checkpoints.keep);
        if (!resume) store->clear();
        hooks.push_back(std::make_shared<engine::CheckpointHook>(
            checkpoints, [store](const engine::Checkpoint& c) { store->save(c); }, resume.get()));
        m_endConnection =
            connect(this, &RunController::finished, this, [store](const engine::RunRecord& r) {
                if (r.status == "finished") store->markEnded();
            });
    }
    return startRun(std::move(hooks), options, every);
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
