#pragma once
// A supervised Trainer for the config's task, its target taken from the task registry (the
// train/ folder sits below tasks/ and cannot ask it). Returned as a prvalue: Trainer is neither
// copied nor moved (C++17 guaranteed elision), so `Trainer t = trainerFor(g, c);` works.
#include "engine/train/trainer.h"

namespace netloom::engine {

Trainer trainerFor(Graph graph, TrainingConfig config, WeightSet initialWeights = {});

}  // namespace netloom::engine
