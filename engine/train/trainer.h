#pragma once
// Trains one network on its dataset for a supervised task (classification, regression,
// reconstruction): the supervised recipe (supervised_recipe.h) on the one run skeleton
// (run_loop.h), with the learning-rate change and early stopping as hooks. run() works on the
// calling thread (the CLI calls it directly, the GUI from a worker thread). pause(), resume() and
// stop() may be called from any thread and take effect within one batch. The same config and
// seed give the same run. With TrainingConfig::earlyStopping the kept weights (final, and
// evaluated on the test set) are the best epoch's, and the Finished event's message and the
// record's message name it.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/graph/graph.h"
#include "engine/model/model.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/run_control.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"
#include "engine/train/supervised_recipe.h"

namespace netloom::engine {

class Trainer {
public:
    // initialWeights: continue from these (e.g. the project's trained weights); empty = fresh.
    // The target is the task's: taskFor(config).target(), or trainerFor() in
    // engine/tasks/trainer_for.h, which asks the task registry.
    Trainer(Graph graph, TrainingConfig config, TargetKind target, WeightSet initialWeights = {});
    ~Trainer();

    // Optional: data already loaded (the GUI caches it between runs).
    void setData(std::shared_ptr<const DataSplit> data) { m_data = std::move(data); }
    void setProfiling(bool on) { m_profiling = on; }
    // Every n-th Step event (by global step) carries a copy of the weights, for views that
    // follow the run within an epoch (the GUI's reconstruction grid); 0 = only Epoch events.
    void setSnapshotEveryBatches(int64_t n) { m_snapshotEvery = n > 0 ? n : 0; }
    // A NaN/Inf loss normally ends the run (Failed). With this on (the GUI) the trainer instead
    // rolls back to the weights and optimizer state of the epoch's start, sends a Paused event
    // saying where it happened, and waits: the user lowers the learning rate and resumes, and
    // the epoch starts over.
    void setPauseOnNonFinite(bool on) { m_options.pauseOnNonFinite = on; }
    // Further hooks (before run()), called after the trainer's own.
    void addHook(std::shared_ptr<RunHook> hook) { m_hooks.push_back(std::move(hook)); }

    // Trains; events go to onEvent on this thread ("loss", "accuracy" when classifying, the
    // "model" weights). Never throws: problems end the run with a Failed event and status
    // "failed".
    RunRecord run(const RunEventCallback& onEvent);

    void pause() { m_control.pause(); }
    void resume() { m_control.resume(); }
    void stop() { m_control.stop(); }
    bool isPaused() const { return m_control.isPaused(); }
    // Changes the learning rate from the next batch on (allowed while paused); the epochs'
    // records show the rate each used.
    void setLearningRate(double lr) { m_lrChange->request(lr); }

    // Weights reached at the end of the run (finished or stopped); empty if it failed before
    // training or diverged (NaN), so callers keep their previous weights.
    WeightSet weights() const;
    std::vector<Model::LayerTiming> timings() const;

private:
    Graph m_graph;
    TrainingConfig m_config;
    TargetKind m_target;
    WeightSet m_initialWeights;
    std::shared_ptr<const DataSplit> m_data;
    bool m_profiling = false;
    int64_t m_snapshotEvery = 0;
    RunOptions m_options;

    RunControl m_control;
    std::shared_ptr<LearningRateChange> m_lrChange = std::make_shared<LearningRateChange>();
    std::vector<std::shared_ptr<RunHook>> m_hooks;

    mutable std::mutex m_resultMutex;
    WeightSet m_finalWeights;
    std::vector<Model::LayerTiming> m_timings;
};

}  // namespace netloom::engine
