#pragma once
// Reading weights trained elsewhere (the exported script's trained.nlw, or weights.nlw) back
// into a project: every tensor of every network must be there with the shape the graph gives
// it, and nothing else may be; a file from another graph is refused naming what differs.
#include <map>
#include <string>

#include "engine/model/weight_set.h"
#include "engine/project/project.h"

namespace netloom::engine {

// The weights by network role. Throws Error naming the file and every missing, unexpected or
// mis-shaped tensor (up to a handful), non-finite values, or what is corrupt about the file.
std::map<std::string, WeightSet> readPyTorchWeights(const Project& project,
                                                    const std::string& path);

// readPyTorchWeights, then the project's networks take the weights. Returns a one-line summary
// ("12 tensors of model from trained.nlw").
std::string importPyTorchWeights(Project& project, const std::string& path);

}  // namespace netloom::engine
