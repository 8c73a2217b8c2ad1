#pragma once
// The Noise layer's sampling rule, for the recipes that fill it (the GAN trainer, sample
// generation). The layer itself passes the batch it is given through, like Input.
#include "engine/core/rng.h"
#include "engine/core/tensor.h"
#include "engine/layers/params.h"

namespace netloom::engine {

// Resizes z to {count, shape} from the Noise params ("shape", "distribution": normal N(0, 1) or
// uniform U(-1, 1)) and fills it from rng. params may be partial (defaults are filled);
// throws Error when they are invalid.
void drawNoise(const Params& noiseParams, int64_t count, Rng& rng, Tensor& z);

}  // namespace netloom::engine
