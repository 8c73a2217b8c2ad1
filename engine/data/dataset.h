#pragma once
// In-memory datasets. A dataset stores its samples one of three ways (storage()): images stay
// uint8 and are converted per batch (x*scale + offset); features are float; token sequences are
// int32 ids, a batch of them is {n, T} with the ids as floats (what an embedding layer reads).
// Labels are class indices; regression targets are floats.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/shape.h"
#include "engine/core/tensor.h"
#include "engine/data/dataset_config.h"

namespace netloom::engine {

struct CsvPrepFit;

enum class SampleStorage { Pixels, Features, Tokens };

struct Dataset {
    std::string name;
    Shape sampleShape;  // {1,28,28} for images, {features} for CSV / synthetic
    int64_t count = 0;
    std::vector<uint8_t> pixels;          // count * sampleShape.elements(), when uint8
    std::vector<float> features;          // count * sampleShape.elements(), when float
    std::vector<int32_t> tokens;          // count * sampleShape.elements() ids, sampleShape {T}
    int64_t vocabularySize = 0;           // token ids lie in [0, vocabularySize)
    std::vector<std::string> vocabulary;  // text of each token id (text datasets)
    float scale = 1.0f / 255.0f;          // applied to pixels per batch
    float offset = 0.0f;
    std::vector<int32_t> labels;  // class index per sample (classification)
    std::vector<float> targets;   // count * targetSize (regression)
    int64_t targetSize = 0;
    int numClasses = 0;
    std::vector<std::string> classNames;
    // CSV data: the preparation the features went through (fitted on the training split) and
    // what applying it noticed (categories not seen in training); null / empty otherwise.
    std::shared_ptr<const CsvPrepFit> csvPrep;
    std::vector<std::string> notes;

    SampleStorage storage() const {
        return !pixels.empty()   ? SampleStorage::Pixels
               : !tokens.empty() ? SampleStorage::Tokens
                                 : SampleStorage::Features;
    }
    bool isImage() const { return storage() == SampleStorage::Pixels; }
    // Fills x {n, sampleShape...} and y with samples indices[0..n): y is {n} class indices as
    // float for classification, or {n, targetSize} targets for regression.
    void fillBatch(const int64_t* indices, int64_t n, Tensor& x, Tensor* y) const;
    // A subset by indices (copies).
    Dataset subset(const std::vector<int64_t>& indices) const;
};

struct DataSplit {
    Dataset train;
    Dataset validation;  // empty when validationSplit == 0
    Dataset test;
};

// Loads the data a config names; validationSplit carves a seeded random hold-out from train.
// CSV data is prepared (csv_prep.h) with statistics from the final training part; `fitted`,
// when given, is applied instead (a saved project's preparation, so evaluation uses the
// numbers training used). Throws netloom::Error naming the file and what is wrong.
DataSplit loadData(const DatasetConfig& config, double validationSplit, uint64_t seed,
                   const CsvPrepFit* fitted = nullptr);

// Which of a text file's lines (numbered 0.. among its non-blank lines, as readTextDataset
// reads them) loadData puts in each part, in the part's order: the same steps as loadData on
// the line numbers, so an exporter can hand the split to another program exactly.
struct TextSplitLines {
    std::vector<int64_t> train, validation, test;
};
TextSplitLines textSplitLines(const DatasetConfig& config, int64_t lines, double validationSplit,
                              uint64_t seed);

// Fashion-MNIST's class names and its Debian path.
const std::vector<std::string>& fashionClassNames();
std::string fashionMnistDir();  // $NETLOOM_FASHION_DIR or /usr/share/datasets/fashion-mnist

}  // namespace netloom::engine
