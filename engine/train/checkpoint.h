#pragma once
// A checkpoint: everything a run needs to continue exactly where it was at the end of an epoch
// (weights, optimizer state, the data order's position, step counters and the run so far).
// Taken by the checkpoint hook (checkpoint_hook.h), stored by engine/io/checkpoint_store.h,
// restored by the run skeleton (RunOptions::resumeFrom) through the recipe.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/graph/graph.h"
#include "engine/model/weight_set.h"
#include "engine/project/project.h"

namespace netloom::engine {

// Early stopping at the checkpoint's epoch: the epoch with the lowest validation loss so far,
// that loss, how many epochs have passed without a lower one, and that epoch's weights (kept
// at the end of the run). `present` is false when the run had no early stopping.
struct EarlyStoppingState {
    bool present = false;
    int64_t bestEpoch = 0;
    double bestLoss = 0;  // +inf when no epoch had a finite validation loss
    int64_t epochsWithoutImprovement = 0;
    WeightSet bestWeights;
};

struct Checkpoint {
    int64_t epoch = 0;  // epochs done (the run continues with epoch + 1)
    int64_t step = 0;   // global steps done
    int64_t stepsPerEpoch = 0;
    std::map<std::string, WeightSet> weights;  // by network role
    // The optimizer's state as Optimizer::state() names it ("0.step", "0.exp_avg", ...).
    std::vector<std::pair<std::string, Tensor>> optimizerState;
    int64_t ordersDrawn = 0;  // epochs the EpochOrder has shuffled (it replays them)
    std::string rngState;     // the stochastic layers' generator (dropout), as text
    // The training transforms' generators (augmentation, input noise) in chain order, as
    // TransformChain::generatorStates() writes them; empty for a run without transforms.
    std::vector<std::string> transformStates;
    // The rate in force; a resumed schedule infers a manual change's scale from it.
    double learningRate = 0;
    RunRecord run;  // the settings and the epochs so far (status "unfinished")
    // Why it was kept: "every" (every N epochs), "best" (the best epoch), or both.
    bool periodic = false, best = false;
    double bestValue = 0;  // best: the validation figure that made it the best
    // Early stopping's bookkeeping (standard_hooks.h), so its patience survives a resume.
    EarlyStoppingState earlyStopping;
};

// Empty when `saved` has exactly the tensors (node, name, shape) of `current`; otherwise what
// differs, e.g. "layer 'dense1' weight is 784×128 in the checkpoint but 784×64 in this
// network" or "layer 'conv2' is in the checkpoint but not in this network".
// Layers are named by their name in `graph` (by node id when it has no such node).
std::string weightsFitProblem(const WeightSet& saved, const WeightSet& current, const Graph& graph);

}  // namespace netloom::engine
