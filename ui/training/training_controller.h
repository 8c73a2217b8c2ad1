#pragma once
// Runs engine::Trainer on a worker thread for the window. The trainer gets a snapshot of the
// document's graph, settings and weights; everything it does (oneDNN primitives included) stays
// on that one thread. Its events go into a guarded buffer that a 50 ms GUI timer drains, so the
// window sees a handful of signals per second however fast batches are. At the end the weights
// and the run record go into the document (on failure the previous weights stay).
// The thread, the timer, the state and pause/resume/stop live in RunController (shared with
// GanTrainingController); this class adds what is particular to Trainer: batch and epoch
// signals, weight snapshots for the live views, and the loss health watch that pauses a run.
#include <QMetaType>
#include <QVector>
#include <memory>
#include <string>
#include <vector>

#include "engine/train/events.h"
#include "ui/training/run_controller.h"

namespace netloom::engine {
class Trainer;
class LossWatchHook;
}

namespace netloom::ui {

class GraphDocument;

// One training batch as the charts need it.
struct BatchPoint {
    int64_t step = 0;  // global batch counter of the run
    int64_t epoch = 0, batch = 0, batchesPerEpoch = 0;
    double loss = 0, accuracy = 0;
};

// State, state(), isActive(), engineStep(), pause(), resume(), stop() and the signals
// stateChanged(), failed() and weightsReset() come from RunController.
class TrainingController : public RunController {
    Q_OBJECT
public:
    explicit TrainingController(GraphDocument* doc, QObject* parent = nullptr);
    ~TrainingController() override;  // stops a run and joins its thread

    const engine::TrainingEvent& lastProgress() const { return m_last; }

    // Starts a run from the document's current weights; false (and failed()) when the graph
    // cannot train or a run is already active.
    bool start();
    // Forgets the trained weights (next run starts fresh); only while idle.
    bool resetWeights();
    void setLearningRate(double lr);
    // An exploding loss (this many times the first batches' mean) pauses the run.
    void setExplosionFactor(double factor);
    // Weights every n batches as well as after each epoch (epochWeights, at most ~4 per second);
    // 0 = epochs only; -1 (default) = every 20 batches for reconstruction, else epochs only.
    void setSnapshotEveryBatches(int64_t n) { m_snapshotEvery = n; }
    // The message of the latest health pause (empty when none in this run).
    QString healthMessage() const { return m_healthMessage; }

signals:
    void runStarted(qint64 epochs, qint64 batchesPerEpoch);
    // Batches since the last drain (in order) and the newest progress figures.
    void batchesArrived(const QVector<netloom::ui::BatchPoint>& points,
                        const netloom::engine::TrainingEvent& latest);
    void epochFinished(const netloom::engine::EpochRecord& record,
                       const netloom::engine::EvalResult& validation);
    // The model's weights after an epoch (or a batch snapshot), for the live evaluation views.
    void epochWeights(std::shared_ptr<const netloom::engine::WeightSet> weights, qint64 epoch);
    // Finished or stopped; the weights and the record are already in the document.
    void finished(const netloom::engine::RunRecord& record);
    // The run paused itself: the loss exploded (message says where and what to do).
    void healthPaused(const QString& message);

private:
    void post(const engine::TrainingEvent& ev);  // worker thread
    void drain() override;                                                 // GUI thread
    void finishRun();

    engine::TrainingEvent m_last;
    int64_t m_snapshotEvery = -1;
    qint64 m_lastSnapshotMs = 0;  // when drain() last forwarded batch weights

    std::shared_ptr<engine::Trainer> m_trainer;
    // The two below are guarded by m_mutex (RunController's, which also guards the record).
    std::vector<engine::TrainingEvent> m_pending;
    std::string m_healthAlarm;  // set on the worker thread, reported by drain()
    // The engine's loss-explosion watch, a hook of the run: it pauses the run itself (a Paused
    // event with its message). Its factor is read when a run starts.
    double m_explosionFactor;
    QString m_healthMessage;
};

}  // namespace netloom::ui

Q_DECLARE_METATYPE(netloom::ui::BatchPoint)
Q_DECLARE_METATYPE(netloom::engine::EpochRecord)
Q_DECLARE_METATYPE(netloom::engine::EvalResult)
Q_DECLARE_METATYPE(netloom::engine::RunRecord)
Q_DECLARE_METATYPE(netloom::engine::TrainingEvent)
