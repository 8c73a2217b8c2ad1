#pragma once
// Per-layer learning rates (transfer learning): multipliers[i] scales the learning rate of the
// i-th parameter of the list every later step() receives, as a PyTorch parameter group's own lr
// (SGD's step, Adam's, AdamW's decoupled decay all scale). Positions past the end keep the
// optimizer's rate. Frozen parameters are skipped whatever their multiplier. Throws Error
// naming the position of a negative or non-finite multiplier.
#include <vector>

#include "engine/optim/optimizer.h"

namespace netloom::engine {

void setLrMultipliers(Optimizer& optimizer, std::vector<double> multipliers);

}  // namespace netloom::engine
