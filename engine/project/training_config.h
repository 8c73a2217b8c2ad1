#pragma once
// Everything a run needs besides the graph. Saved in the project file ("training", "dataset").
#include <cstdint>
#include <optional>
#include <string>

#include "engine/data/dataset_config.h"
#include "engine/optim/lr_schedule.h"
#include "engine/optim/optimizer.h"

namespace netloom::engine {

// The adversarial task (GAN): networks with roles "generator" and "discriminator" train against
// each other (train/gan_trainer.h). `TrainingConfig::optimizer` is the generator's optimizer.
struct GanConfig {
    int64_t discriminatorSteps = 1;  // D steps per G step (k)
    int64_t sampleEvery = 200;       // iterations between sample grids (0 = at epoch ends only)
    int64_t sampleCount = 64;        // size of the fixed noise batch the grids show
    int64_t iterationsPerEpoch = 0;  // 0 = one pass over the training set (count / batch)
    std::optional<OptimizerConfig> discriminatorOptimizer;  // none: the same as the generator's
    // Decay of the moving average of the generator's weights that the run keeps (samples,
    // saved weights, scores; train/parameter_average.h). 0 = off: the last step's weights.
    double generatorAverage = 0.0;
    bool operator==(const GanConfig&) const = default;
};

// Checkpoints of a run (train/checkpoint_hook.h, io/checkpoint_store.h): every N epochs and/or
// the best epoch by a validation figure, in a directory next to the project file.
struct CheckpointConfig {
    int64_t every = 0;          // epochs between checkpoints; 0 = none on a schedule
    int64_t keep = 3;           // how many of those (the newest) stay on disk
    std::string best = "none";  // none | val_loss | val_accuracy: also keep the best epoch's
    bool active() const { return every > 0 || best != "none"; }
    bool operator==(const CheckpointConfig&) const = default;
};

// Augmentation of image training batches (engine/data/transforms, train/training_transforms):
// each kind is off at its zero value, and none touches validation or test batches.
struct AugmentationConfig {
    int64_t cropPadding = 0;  // random crop of the image padded by this many pixels per side
    bool flip = false;        // horizontal flip with probability 0.5 (wrong for digits: off)
    double rotation = 0.0;    // rotate by up to ± this many degrees (bilinear)
    double zoom = 0.0;        // scale by a factor in [1 − zoom, 1 + zoom] (bilinear)
    double erasing = 0.0;     // random erasing's probability p (Zhong et al. 2017)
    double erasingAreaMin = 0.02, erasingAreaMax = 0.4;     // erased fraction of the image
    double erasingAspectMin = 0.3, erasingAspectMax = 3.3;  // height / width of the rectangle
    double noise = 0.0;  // std of Gaussian noise added to the pixels
    bool active() const {
        return cropPadding > 0 || flip || rotation > 0 || zoom > 0 || erasing > 0 || noise > 0;
    }
    bool operator==(const AugmentationConfig&) const = default;
};

struct TrainingConfig {
    std::string task = "classification";  // | regression | reconstruction | adversarial
    std::string loss = "cross_entropy";   // see losses/loss.h
    OptimizerConfig optimizer;
    int64_t batchSize = 64;
    int64_t epochs = 5;
    double validationSplit = 0.0;  // fraction of training data held out; 0 = validate on test
    // Early stopping (0 = off): end the run once this many epochs in a row have not lowered the
    // validation loss, and keep the weights of the epoch with the lowest one. Not for GANs.
    int64_t earlyStopping = 0;
    uint64_t seed = 1;
    std::string init = "default";  // default | he | xavier
    int threads = 0;               // 0 = automatic
    // Reconstruction only: std of Gaussian noise added to the training inputs, never to the
    // target (denoising autoencoder); 0 = off, at most 1. See train/input_noise.h.
    double inputNoise = 0.0;
    AugmentationConfig augmentation;  // classification of images only
    LrScheduleConfig schedule;        // the learning rate over the run (optim/lr_schedule.h)
    CheckpointConfig checkpoints;
    DatasetConfig dataset;
    GanConfig gan;  // task "adversarial" only
    bool operator==(const TrainingConfig&) const = default;
};

}  // namespace netloom::engine
