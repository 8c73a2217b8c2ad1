#include "ui/training/training_controller.h"

#include <QDateTime>

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
    m_healthMessage.clear();
    m_last = engine::TrainingEvent{};
    m_lastSnapshotMs = 0;
    m_lrChange = std::make_shared<engine::LearningRateChange>();
    engine::RunOptions options;
    options.pauseOnNonFinite = true;  // a NaN pauses (rolled back) instead of ending the run
    const int64_t every = m_snapshotEvery >= 0 ? m_snapshotEvery
                          : task                ? task->views().snapshotEveryBatches
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

void TrainingController::deliver(std::vector<engine::RunEvent>& events, bool done) {
    QVector<BatchPoint> batch;
    std::shared_ptr<const engine::WeightSet> snapshot;  // newest batch weights not yet shown
    int64_t snapshotEpoch = 0;
    std::string alarm;
    auto flushBatches = [&] {
        if (batch.isEmpty()) return;
        emit batchesArrived(batch, m_last);
        batch.clear();
    };
    for (const engine::RunEvent& run : events) {
        using K = engine::RunEvent::Kind;
        switch (run.kind) {
            case K::Started:
                m_last = engine::toTrainingEvent(run);
                emit runStarted(run.epochs, run.stepsPerEpoch);
                break;
            case K::Step: {
                m_last = engine::toTrainingEvent(run);
                const engine::TrainingEvent& ev = m_last;
                batch.push_back(
                    {ev.step, ev.epoch, ev.batch, ev.batchesPerEpoch, ev.loss, ev.accuracy});
                if (ev.weights) snapshot = ev.weights, snapshotEpoch = ev.epoch;
                break;
            }
            case K::Epoch:
                flushBatches();
                m_last = engine::toTrainingEvent(run);
                emit epochFinished(m_last.record, m_last.validation);
                if (m_last.weights) emit epochWeights(m_last.weights, m_last.epoch);
                snapshot = nullptr;  // the epoch's weights are newer
                break;
            case K::Paused:  // a NaN/Inf loss (rolled back) or the loss watch: the run waits
                alarm = run.message;
                break;
            default:  // Finished / Stopped / Failed: the run record says it all
                break;
        }
    }
    flushBatches();
    // Batch snapshots, coalesced: the views redraw a few times per second at most.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (snapshot && !done && now - m_lastSnapshotMs >= 250) {
        m_lastSnapshotMs = now;
        emit epochWeights(snapshot, snapshotEpoch);
    }
    if (!alarm.empty() && state() == State::Running && !done) {
        m_healthMessage = QString::fromStdString(alarm);
        setState(State::Paused);
        emit healthPaused(m_healthMessage);
    }
}

}  // namespace netloom::ui
