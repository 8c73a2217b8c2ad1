#include "engine/train/training_transforms.h"

#include "engine/data/transforms/input_noise.h"
#include "engine/data/transforms/registry.h"
#include "engine/train/evaluator.h"

namespace netloom::engine {

std::vector<TransformSpec> trainingTransforms(const TrainingConfig& config, TargetKind target) {
    std::vector<TransformSpec> specs;
    // Checked for every task, so a bad value is refused even where it would be unused.
    InputNoise check(config.inputNoise, 0);
    if (check.active() && target == TargetKind::Reconstruction)
        specs.push_back({kInputNoiseName, {{"stddev", config.inputNoise}}});
    return specs;
}

TransformChain trainingTransformChain(const TrainingConfig& config, TargetKind target) {
    return TransformChain(trainingTransforms(config, target), config.seed);
}

}  // namespace netloom::engine
