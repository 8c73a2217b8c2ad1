#pragma once
// Which per-batch transforms (engine/data/transforms) a run's training batches go through,
// from its settings. Validation and test batches never go through them.
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/data/transforms/transform.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

// Input noise (denoising) when the task reconstructs its input and TrainingConfig::inputNoise
// > 0; augmentation (TrainingConfig::augmentation) when the task classifies and `train` holds
// images, in the order crop, flip, rotation/zoom, erasing, noise (erasing after the geometric
// ones, as in Zhong et al.). The background and erasing values follow the dataset's pixel
// scaling ([0, 1] or [−1, 1]). Throws Error for an out-of-range setting.
std::vector<TransformSpec> trainingTransforms(const TrainingConfig& config, TargetKind target,
                                              const Dataset& train);

// The chain for a run: trainingTransforms(...) seeded from config.seed.
TransformChain trainingTransformChain(const TrainingConfig& config, TargetKind target,
                                      const Dataset& train);

}  // namespace netloom::engine
