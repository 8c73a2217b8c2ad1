#pragma once
// Which data a project trains on. Saved in the project file ("dataset").
#include <cstdint>
#include <string>

namespace netloom::engine {

struct DatasetConfig {
    // fashion-mnist: the Debian package's files; idx: MNIST-format files by path;
    // csv: numeric columns plus a target column; synthetic: 2-D toy sets.
    std::string kind = "fashion-mnist";
    std::string trainImages, trainLabels, testImages, testLabels;  // idx (plain or .gz)
    std::string csvPath;               // csv: one file, split into train/test by testFraction
    std::string csvTarget;             // csv: name of the label/target column (default: last)
    double testFraction = 0.2;         // csv and synthetic
    std::string synthetic = "spiral";  // spiral | circles | xor | gaussians
    int64_t syntheticSamples = 1000;
    double syntheticNoise = 0.1;
    int64_t limitTrain = 0;  // 0 = all; otherwise the first N training samples
    int64_t limitTest = 0;
    std::string scaling = "unit";  // unit: x/255 in [0,1]; signed: [-1,1] (images only)
    bool operator==(const DatasetConfig&) const = default;
};

}  // namespace netloom::engine
