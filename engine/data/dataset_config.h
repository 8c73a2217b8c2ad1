#pragma once
// Which data a project trains on. Saved in the project file ("dataset").
#include <cstdint>
#include <string>

namespace netloom::engine {

struct DatasetConfig {
    // fashion-mnist: the Debian package's files; idx: MNIST-format files by path;
    // csv: numeric columns plus a target column; synthetic: 2-D toy sets; text: a UTF-8 file's
    // lines as character sequences (text_reader.h); sines: noisy sums of sines to forecast
    // (sines.h). Images become sequences of rows in the graph, not here: Reshape with
    // "sequence" turns a 1×28×28 image into 28 steps of 28 features.
    std::string kind = "fashion-mnist";
    std::string trainImages, trainLabels, testImages, testLabels;  // idx (plain or .gz)
    std::string csvPath;              // csv: one file, split into train/test by testFraction
    std::string textPath;             // text: one file, split into train/test by testFraction
    int64_t textMaxLine = 32;         // text: characters per line at most
    int64_t textMaxVocabulary = 256;  // text: tokens at most (3 special ones included)
    int64_t sinesWindow = 32;         // sines: input steps
    int64_t sinesHorizon = 1;         // sines: values to predict after the window
    std::string csvTarget;            // csv: name of the label/target column (default: last)
    // csv data preparation (csv_prep.h): header format (names | sklearn), feature columns
    // (comma-separated; empty = all but the target), text columns to one-hot encode, the
    // missing-value strategy (error | drop | mean | median | most_frequent) globally and per
    // column ("age=median,color=most_frequent"), scaling (none | standardize | minmax).
    std::string csvHeader = "names";
    std::string csvFeatures;
    std::string csvCategorical;
    std::string csvMissing = "error";
    std::string csvMissingColumns;
    std::string csvScaling = "none";
    double testFraction = 0.2;         // csv, synthetic, text and sines
    std::string synthetic = "spiral";  // spiral | circles | xor | gaussians
    int64_t syntheticSamples = 1000;   // synthetic and sines
    double syntheticNoise = 0.1;       // synthetic and sines
    int64_t limitTrain = 0;            // 0 = all; otherwise the first N training samples
    int64_t limitTest = 0;
    std::string scaling = "unit";  // unit: x/255 in [0,1]; signed: [-1,1] (images only)
    bool operator==(const DatasetConfig&) const = default;
};

}  // namespace netloom::engine
