#pragma once
// 2-D toy classification sets for trying networks in seconds. Features are float {2}, roughly in
// [-1.5, 1.5]; classes are balanced (sizes differ by at most one) and samples come shuffled.
//   spiral     3 interleaved arms of radius 0..1 (the angle is jittered by 2·noise radians)
//   circles    2 classes: outer ring radius 1, inner ring radius 0.5
//   xor        2 classes: quadrants with x·y > 0 (class 0) versus x·y < 0 (class 1)
//   gaussians  4 blobs centred at (±1, ±1), spread 0.25
// noise is the standard deviation of Gaussian jitter added to the clean shape.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace netloom::engine {

const std::vector<std::string>& syntheticKinds();

// Throws netloom::Error for an unknown kind, samples outside 1..10,000,000 or fewer samples than
// classes, or a negative / non-finite noise.
Dataset makeSynthetic(const std::string& kind, int64_t samples, double noise, uint64_t seed);

}  // namespace netloom::engine
