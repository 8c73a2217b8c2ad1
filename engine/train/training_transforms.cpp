#include "engine/train/training_transforms.h"

#include <algorithm>
#include <cmath>

#include "engine/data/transforms/horizontal_flip.h"
#include "engine/data/transforms/input_noise.h"
#include "engine/data/transforms/random_affine.h"
#include "engine/data/transforms/random_crop.h"
#include "engine/data/transforms/random_erasing.h"
#include "engine/data/transforms/registry.h"
#include "engine/train/evaluator.h"

namespace netloom::engine {

namespace {

void addAugmentation(std::vector<TransformSpec>& specs, const AugmentationConfig& a,
                     const Dataset& train) {
    // The pixel range after scaling: black is the background. Rounded to the float scale's
    // precision (255 · (1/255.0f) is 1 + 3e-8, outside the transforms' declared [−1, 1]).
    auto rounded = [](double v) { return std::clamp(std::round(v * 1e6) / 1e6, -1.0, 1.0); };
    const double black = rounded(train.offset);
    const double white = rounded(train.offset + 255.0 * static_cast<double>(train.scale));
    if (a.cropPadding > 0)
        specs.push_back(
            {kRandomCropName, {{"padding", static_cast<double>(a.cropPadding)}, {"fill", black}}});
    if (a.flip) specs.push_back({kHorizontalFlipName, {{"p", 0.5}}});
    if (a.rotation > 0 || a.zoom > 0)
        specs.push_back(
            {kRandomAffineName, {{"degrees", a.rotation}, {"zoom", a.zoom}, {"fill", black}}});
    if (a.erasing > 0)
        specs.push_back({kRandomErasingName,
                         {{"p", a.erasing},
                          {"area_min", a.erasingAreaMin},
                          {"area_max", a.erasingAreaMax},
                          {"aspect_min", a.erasingAspectMin},
                          {"aspect_max", a.erasingAspectMax},
                          {"value_min", black},
                          {"value_max", white}}});
    if (a.noise > 0) specs.push_back({kInputNoiseName, {{"stddev", a.noise}}});
}

}  // namespace

std::vector<TransformSpec> trainingTransforms(const TrainingConfig& config, TargetKind target,
                                              const Dataset& train) {
    std::vector<TransformSpec> specs;
    // Checked for every task, so a bad value is refused even where it would be unused.
    InputNoise check(config.inputNoise, 0);
    if (check.active() && target == TargetKind::Reconstruction)
        specs.push_back({kInputNoiseName, {{"stddev", config.inputNoise}}});
    // Augmentation changes what an image shows, not its class: classification only (a
    // reconstruction target or regression values would no longer match the input).
    if (target == TargetKind::ClassLabels && train.isImage())
        addAugmentation(specs, config.augmentation, train);
    return specs;
}

TransformChain trainingTransformChain(const TrainingConfig& config, TargetKind target,
                                      const Dataset& train) {
    return TransformChain(trainingTransforms(config, target, train), config.seed);
}

}  // namespace netloom::engine
