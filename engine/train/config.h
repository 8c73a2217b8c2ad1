#pragma once
// Everything a run needs besides the graph. Saved in the project file ("training", "dataset").
#include <cstdint>
#include <string>

#include "engine/optim/optimizer.h"

namespace netloom::engine {

struct DatasetConfig {
    // fashion-mnist: the Debian package's files; idx: MNIST-format files by path;
    // csv: numeric columns plus a target column; synthetic: 2-D toy sets.
    std::string kind = "fashion-mnist";
    std::string trainImages, trainLabels, testImages, testLabels;  // idx (plain or .gz)
    std::string csvPath;         // csv: one file, split into train/test by testFraction
    std::string csvTarget;       // csv: name of the label/target column (default: last)
    double testFraction = 0.2;   // csv and synthetic
    std::string synthetic = "spiral";  // spiral | circles | xor | gaussians
    int64_t syntheticSamples = 1000;
    double syntheticNoise = 0.1;
    int64_t limitTrain = 0;  // 0 = all; otherwise the first N training samples
    int64_t limitTest = 0;
    std::string scaling = "unit";  // unit: x/255 in [0,1]; signed: [-1,1] (images only)
    bool operator==(const DatasetConfig&) const = default;
};

struct TrainingConfig {
    std::string task = "classification";  // classification | regression
    std::string loss = "cross_entropy";   // see losses/loss.h
    OptimizerConfig optimizer;
    int64_t batchSize = 64;
    int64_t epochs = 5;
    double validationSplit = 0.0;  // fraction of training data held out; 0 = validate on test
    uint64_t seed = 1;
    std::string init = "default";  // default | he | xavier
    int threads = 0;               // 0 = automatic
    DatasetConfig dataset;
    bool operator==(const TrainingConfig&) const = default;
};

}  // namespace netloom::engine
