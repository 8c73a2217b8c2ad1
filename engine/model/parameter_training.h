#pragma once
// The layers' learning-rate multipliers (engine/layers/training_params.h) per parameter, in the
// order Model::parameters() lists them, for setLrMultipliers() (engine/optim/lr_multipliers.h).
// Freezing needs no list: Model marks frozen layers' Parameters itself.
#include <vector>

#include "engine/graph/graph.h"

namespace netloom::engine {

// Throws Error with the graph's first problem when it is invalid (as Model does).
std::vector<double> parameterLrMultipliers(const Graph& graph);

}  // namespace netloom::engine
