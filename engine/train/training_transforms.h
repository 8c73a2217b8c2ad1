#pragma once
// Which per-batch transforms (engine/data/transforms) a run's training batches go through,
// from its settings. Validation and test batches never go through them.
#include <vector>

#include "engine/data/target_kind.h"
#include "engine/data/transforms/transform.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

// Input noise (denoising) when the task reconstructs its input and TrainingConfig::inputNoise
// > 0; more transforms (augmentation) will be added here. Throws Error for an out-of-range
// setting.
std::vector<TransformSpec> trainingTransforms(const TrainingConfig& config, TargetKind target);

// The chain for a run: trainingTransforms(config, target) seeded from config.seed.
TransformChain trainingTransformChain(const TrainingConfig& config, TargetKind target);

}  // namespace netloom::engine
