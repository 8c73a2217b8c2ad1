#pragma once
// Trained tensors per node id, per parameter/state name ("weight", "bias", "running_mean").
#include <map>
#include <string>

#include "engine/core/tensor.h"

namespace netloom::engine {

using WeightSet = std::map<std::string, std::map<std::string, Tensor>>;

}  // namespace netloom::engine
