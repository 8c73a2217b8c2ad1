#pragma once
// The one run skeleton every task trains through: thread count, pause/resume/stop (RunControl),
// NaN/Inf handling (pause and roll back to the epoch's start when asked, else fail naming
// epoch, step and the loss), timing and throughput, hooks, events and the failure wrapper.
// The task's part is its recipe (recipe.h).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/train/recipe.h"
#include "engine/train/run_control.h"
#include "engine/train/run_event.h"
#include "engine/train/run_hook.h"

namespace netloom::engine {

using RunEventCallback = std::function<void(const RunEvent&)>;

struct RunOptions {
    // A NaN/Inf loss normally ends the run (Failed). With this on and a recipe that can roll
    // back, the run instead rolls back to the epoch's start, sends a Paused event saying where
    // it happened, and waits: the user lowers the learning rate and resumes, and the epoch
    // starts over.
    bool pauseOnNonFinite = false;
    // Continue a run from a checkpoint taken at an epoch's end (checkpoint.h): after prepare()
    // the recipe loads it (refusing one of another graph), the run goes on with the next epoch
    // and its step counter, and the record starts with the checkpoint's epochs. Null: a new run.
    std::shared_ptr<const Checkpoint> resumeFrom;
};

// Receives the weights a run keeps (by network role), just before its last event; not called
// when the run failed, so callers keep their previous weights.
using KeepWeights = std::function<void(std::map<std::string, WeightSet>&&)>;

// Runs the recipe on the calling thread. Never throws: problems end the run with a Failed event
// and status "failed".
RunRecord runTraining(TrainingRecipe& recipe, RunControl& control,
                      const std::vector<std::shared_ptr<RunHook>>& hooks,
                      const RunEventCallback& onEvent, const RunOptions& options = {},
                      const KeepWeights& keep = {});

// Number of compute threads for a config (0 = automatic: all cores).
int computeThreadsFor(const TrainingConfig& config);

}  // namespace netloom::engine
