#pragma once
// Trains a classification, regression or reconstruction project for the window: RunController
// runs the task's recipe on its worker thread; this class adds the learning-rate change and the
// loss-explosion watch (engine hooks), weight snapshots for the live views, and turns the run's
// events into the batch and epoch signals the training panel draws from.
#include <QMetaType>
#include <QVector>
#include <memory>
#include <string>
#include <vector>

#include "engine/train/events.h"
#include "engine/train/standard_hooks.h"
#include "ui/training/run_controller.h"

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
    // The run paused itself: the loss exploded (message says where and what to do).
    void healthPaused(const QString& message);

private:
    void deliver(std::vector<engine::RunEvent>& events, bool done) override;  // GUI thread

    engine::TrainingEvent m_last;
    int64_t m_snapshotEvery = -1;
    qint64 m_lastSnapshotMs = 0;  // when deliver() last forwarded batch weights
    double m_explosionFactor = engine::LossWatch::kDefaultFactor;
    std::shared_ptr<engine::LearningRateChange> m_lrChange;  // the active run's
    QString m_healthMessage;
};

}  // namespace netloom::ui

Q_DECLARE_METATYPE(netloom::ui::BatchPoint)
Q_DECLARE_METATYPE(netloom::engine::TrainingEvent)
