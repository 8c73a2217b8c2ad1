#pragma once
// Weight initialisation of layers' parameters (Default = PyTorch's default for the layer).
#include <cstdint>
#include <string>

#include "engine/core/rng.h"
#include "engine/core/tensor.h"

namespace netloom::engine {

enum class InitScheme { Default, He, Xavier };

// Initializes a tensor for a layer with the given fan-in/fan-out:
// Default U(±1/sqrt(fanIn)) (PyTorch's Linear/Conv default), He N(0, sqrt(2/fanIn)),
// Xavier U(±sqrt(6/(fanIn+fanOut))). Throws Error when fanIn (or, for Xavier, fanOut) is not
// positive.
void initWeights(Tensor& w, int64_t fanIn, int64_t fanOut, InitScheme scheme, Rng& rng);

// "default" | "he" | "xavier" -> InitScheme; throws Error otherwise.
InitScheme parseInitScheme(const std::string& name);
std::string initSchemeName(InitScheme scheme);  // the inverse: "default" | "he" | "xavier"

}  // namespace netloom::engine
