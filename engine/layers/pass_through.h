#pragma once
// The two layers that move no numbers of their own, shared by the defs that differ only in their
// shape rule: Flatten and Reshape (a row-major copy, skipped when run in place), Input and Noise
// (sources: their output is the batch the caller hands in).
#include <memory>

#include "engine/layers/layer.h"

namespace netloom::engine {

std::unique_ptr<Layer> makeCopyLayer();
std::unique_ptr<Layer> makeSourceLayer();

}  // namespace netloom::engine
