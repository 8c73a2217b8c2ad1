#pragma once
// Trains a classification, regression or reconstruction project for the window: RunController
// runs the task's recipe on its worker thread and turns its events into signals; this class adds
// the learning-rate change and the loss-explosion watch (engine hooks), the weight snapshots
// the live views follow, and checkpoints next to a saved project's file (training.checkpoints;
// engine/io/checkpoint_store.h) with resuming from them.
#include <memory>

#include "engine/train/checkpoint.h"
#include "engine/train/standard_hooks.h"
#include "ui/training/run_controller.h"

namespace netloom::ui {

class GraphDocument;

// State, the run's signals (runStarted, stepsArrived, epochFinished, epochWeights,
// healthPaused, finished, failed, ...), pause(), resume() and stop() come from RunController.
class TrainingController : public RunController {
    Q_OBJECT
public:
    explicit TrainingController(GraphDocument* doc, QObject* parent = nullptr);
    ~TrainingController() override;  // stops a run and joins its thread

    // Starts a run from the document's current weights; false (and failed()) when the graph
    // cannot train or a run is already active.
    bool start();
    // Continues a run from a checkpoint (engine/train/checkpoint.h) with the document's graph
    // and settings; the run fails (failed()) when the checkpoint does not fit them.
    bool resumeFrom(std::shared_ptr<const engine::Checkpoint> checkpoint);
    // Forgets the trained weights (next run starts fresh); only while idle.
    bool resetWeights() override;
    void setLearningRate(double lr);
    // An exploding loss (this many times the first batches' mean) pauses the run.
    void setExplosionFactor(double factor);
    // Weights every n batches as well as after each epoch (epochWeights, at most ~4 per second);
    // 0 = epochs only; -1 (default) = the task's choice (TaskViews::snapshotEveryBatches), or
    // every kAttentionSnapshotEvery batches for a network with attention (live attention maps).
    void setSnapshotEveryBatches(int64_t n) { m_snapshotEvery = n; }

    static constexpr int64_t kAttentionSnapshotEvery = 20;

private:
    bool startWith(std::shared_ptr<const engine::Checkpoint> resume);

    int64_t m_snapshotEvery = -1;
    double m_explosionFactor = engine::LossWatch::kDefaultFactor;
    std::shared_ptr<engine::LearningRateChange> m_lrChange;  // the active run's
    QMetaObject::Connection m_endConnection;                 // marks its checkpoints ended
};

}  // namespace netloom::ui
