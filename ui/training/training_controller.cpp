#include "ui/training/training_controller.h"

#include <QDateTime>

#include "engine/tasks/registry.h"
#include "engine/train/standard_hooks.h"
#include "engine/train/trainer.h"
#include "ui/training/data_cache.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

TrainingController::TrainingController(GraphDocument* doc, QObject* parent)
    : RunController(doc, parent), m_explosionFactor(engine::LossWatch::kDefaultFactor) {}

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
    const engine::TaskDef* task = nullptr;
    try {
        task = &engine::taskFor(m_doc->training());
        m_trainer = std::make_shared<engine::Trainer>(m_doc->graph(), m_doc->training(),
                                                      task->target(),
                                                      m_doc->project().model().weights);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_pending.clear();
        m_healthAlarm.clear();
    }
    m_healthMessage.clear();
    m_last = engine::TrainingEvent{};
    const int64_t every = m_snapshotEvery >= 0 ? m_snapshotEvery
                                               : task->views().snapshotEveryBatches;
    m_trainer->setSnapshotEveryBatches(every);
    m_trainer->setPauseOnNonFinite(true);  // a NaN pauses (rolled back) instead of ending the run
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_trainer->addHook(std::make_shared<engine::LossWatchHook>(m_explosionFactor));
    }
    m_lastSnapshotMs = 0;
    const engine::TrainingConfig config = m_doc->training();
    // The lambdas hold their own reference: the trainer outlives any reset of m_trainer.
    launch(
        m_trainer, config,
        [this, trainer = m_trainer, config] {
            // Through the window's cache: the next run and the evaluation views reuse it.
            trainer->setData(
                DataCache::instance().load(config.dataset, config.validationSplit, config.seed));
            return trainer->run([this](const engine::TrainingEvent& ev) { post(ev); });
        },
        [this](const std::string& message) {
            engine::TrainingEvent ev;
            ev.kind = engine::TrainingEvent::Kind::Failed;
            ev.message = message;
            post(ev);
        });
    return true;
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
    std::lock_guard<std::mutex> lock(m_mutex);
    m_explosionFactor = factor;
}

void TrainingController::setLearningRate(double lr) {
    if (m_trainer && isActive() && lr > 0) m_trainer->setLearningRate(lr);
}

void TrainingController::post(const engine::TrainingEvent& ev) {
    if (ev.kind == engine::TrainingEvent::Kind::Batch) m_engineStep.store(ev.step);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pending.push_back(ev);
    // A NaN/Inf loss (rolled back) or the loss watch: the trainer already waits before its next
    // batch; drain() tells the window.
    if (ev.kind == engine::TrainingEvent::Kind::Paused) m_healthAlarm = ev.message;
}

void TrainingController::drain() {
    std::vector<engine::TrainingEvent> events;
    bool done = false;
    std::string alarm;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        events.swap(m_pending);
        done = runDone();
        alarm.swap(m_healthAlarm);
    }
    QVector<BatchPoint> batch;
    const engine::TrainingEvent* snapshot = nullptr;  // newest batch weights not yet shown
    auto flushBatches = [&] {
        if (batch.isEmpty()) return;
        emit batchesArrived(batch, m_last);
        batch.clear();
    };
    for (const engine::TrainingEvent& ev : events) {
        using K = engine::TrainingEvent::Kind;
        switch (ev.kind) {
            case K::Started:
                m_last = ev;
                m_startNote = QString::fromStdString(ev.message);
                emit runStarted(ev.epochs, ev.batchesPerEpoch);
                break;
            case K::Batch:
                m_last = ev;
                batch.push_back(
                    {ev.step, ev.epoch, ev.batch, ev.batchesPerEpoch, ev.loss, ev.accuracy});
                if (ev.weights) snapshot = &ev;
                break;
            case K::Epoch:
                flushBatches();
                m_last = ev;
                emit epochFinished(ev.record, ev.validation);
                if (ev.weights) emit epochWeights(ev.weights, ev.epoch);
                snapshot = nullptr;  // the epoch's weights are newer
                break;
            default:  // Finished / Stopped / Failed: the run record below says it all
                break;
        }
    }
    flushBatches();
    // Batch snapshots, coalesced: the views redraw a few times per second at most.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (snapshot && !done && now - m_lastSnapshotMs >= 250) {
        m_lastSnapshotMs = now;
        emit epochWeights(snapshot->weights, snapshot->epoch);
    }
    if (!alarm.empty() && state() == State::Running && !done) {
        m_healthMessage = QString::fromStdString(alarm);
        setState(State::Paused);
        emit healthPaused(m_healthMessage);
    }
    if (done) finishRun();
}

void TrainingController::finishRun() {
    engine::RunRecord record = joinRun();
    engine::WeightSet weights = m_trainer->weights();
    m_trainer.reset();
    setState(State::Idle);
    if (resultDiscarded()) return;  // the project it trained is gone
    if (record.status == "failed") {
        m_doc->appendRun(record);
        m_doc->markModified();
        emit failed(QString::fromStdString(record.message));
        return;
    }
    if (!weights.empty()) m_doc->putWeights(std::move(weights));
    m_doc->appendRun(record);
    m_doc->markModified();
    emit finished(record);
}

}  // namespace netloom::ui
