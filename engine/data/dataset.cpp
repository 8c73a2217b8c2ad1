#include "engine/data/dataset.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/csv_prep.h"
#include "engine/data/csv_reader.h"
#include "engine/data/idx_reader.h"
#include "engine/data/sines.h"
#include "engine/data/synthetic.h"
#include "engine/data/text_reader.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kTestSplitSalt = 0x7465737473706c74ull;   // "testsplt"
constexpr uint64_t kValidationSalt = 0x76616c6964617465ull;  // "validate"
constexpr uint64_t kTextOrderSalt = 0x746578746f726465ull;   // "textorde"

void checkIndex(const Dataset& d, int64_t index) {
    if (index < 0 || index >= d.count) {
        throw Error("dataset '" + d.name + "': sample index " + std::to_string(index) +
                    " is out of range (the set has " + std::to_string(d.count) + " samples)");
    }
}

// Keeps the first n samples (n <= 0 or n >= count: all).
void keepFirst(Dataset& d, int64_t n) {
    if (n <= 0 || n >= d.count) return;
    const auto per = static_cast<size_t>(d.sampleShape.elements());
    const auto count = static_cast<size_t>(n);
    if (!d.pixels.empty()) d.pixels.resize(count * per);
    if (!d.features.empty()) d.features.resize(count * per);
    if (!d.tokens.empty()) d.tokens.resize(count * per);
    if (!d.labels.empty()) d.labels.resize(count);
    if (!d.targets.empty()) d.targets.resize(count * static_cast<size_t>(d.targetSize));
    d.pixels.shrink_to_fit();
    d.features.shrink_to_fit();
    d.tokens.shrink_to_fit();
    d.count = n;
}

// Moves a seeded random choice of `held` samples out of d; both parts keep the file order.
Dataset holdOut(Dataset& d, int64_t held, uint64_t seed, uint64_t salt) {
    if (held <= 0) return d.subset({});
    std::vector<int64_t> order(static_cast<size_t>(d.count));
    std::iota(order.begin(), order.end(), int64_t{0});
    Rng rng = Rng(seed).derive(salt);
    std::shuffle(order.begin(), order.end(), rng.generator());
    std::vector<int64_t> out(order.begin(), order.begin() + held);
    std::vector<int64_t> keep(order.begin() + held, order.end());
    std::sort(out.begin(), out.end());
    std::sort(keep.begin(), keep.end());
    Dataset heldOut = d.subset(out);
    d = d.subset(keep);
    return heldOut;
}

// How many samples a fraction of count is: at least one when the fraction is positive, and
// never all of them.
int64_t fractionOf(int64_t count, double fraction, const std::string& what) {
    if (fraction <= 0) return 0;
    int64_t n = std::max<int64_t>(1, std::llround(static_cast<double>(count) * fraction));
    if (n >= count) {
        throw Error(what + " of " + std::to_string(fraction) + " leaves no training samples (" +
                    std::to_string(count) + " samples in all)");
    }
    return n;
}

void checkFraction(double f, const std::string& what) {
    if (!(f >= 0.0 && f < 1.0))
        throw Error(what + " must be at least 0 and below 1, got " + std::to_string(f));
}

std::string joinPath(const std::string& dir, const std::string& name) {
    return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

void applyScaling(Dataset& d, const std::string& scaling) {
    if (scaling == "signed") {
        d.scale = 2.0f / 255.0f;
        d.offset = -1.0f;
    } else {
        d.scale = 1.0f / 255.0f;
        d.offset = 0.0f;
    }
}

DataSplit loadFashion() {
    const std::string dir = fashionMnistDir();
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        throw Error("Fashion-MNIST not found: " + dir +
                    " is not a folder. Install the Debian package dataset-fashion-mnist "
                    "(scripts/setup.sh does) or set NETLOOM_FASHION_DIR to the folder with "
                    "train-images-idx3-ubyte.gz and the other three files");
    }
    DataSplit s;
    s.train = loadIdxDataset(joinPath(dir, "train-images-idx3-ubyte.gz"),
                             joinPath(dir, "train-labels-idx1-ubyte.gz"), 10);
    s.test = loadIdxDataset(joinPath(dir, "t10k-images-idx3-ubyte.gz"),
                            joinPath(dir, "t10k-labels-idx1-ubyte.gz"), 10);
    for (Dataset* d : {&s.train, &s.test}) d->classNames = fashionClassNames();
    s.train.name = "Fashion-MNIST train";
    s.test.name = "Fashion-MNIST test";
    return s;
}

DataSplit loadIdx(const DatasetConfig& c) {
    const std::pair<const std::string*, const char*> paths[] = {{&c.trainImages, "training images"},
                                                                {&c.trainLabels, "training labels"},
                                                                {&c.testImages, "test images"},
                                                                {&c.testLabels, "test labels"}};
    for (const auto& [path, what] : paths)
        if (path->empty())
            throw Error(std::string("IDX dataset: the ") + what + " file is not set");
    DataSplit s;
    s.train = loadIdxDataset(c.trainImages, c.trainLabels, 0);
    s.test = loadIdxDataset(c.testImages, c.testLabels, 0);
    if (s.train.sampleShape != s.test.sampleShape) {
        throw Error("IDX dataset: training images are " + s.train.sampleShape.toString() +
                    " but test images are " + s.test.sampleShape.toString());
    }
    // Classes are 0..max over both sets (10 for MNIST-style files).
    const int classes = std::max(s.train.numClasses, s.test.numClasses);
    for (Dataset* d : {&s.train, &s.test}) {
        d->numClasses = classes;
        d->classNames.clear();
        for (int k = 0; k < classes; ++k) d->classNames.push_back(std::to_string(k));
    }
    return s;
}

// The kept CSV rows as a dataset whose "labels" are the row numbers, so that the test,
// limit and validation splits pick rows exactly as they pick samples.
Dataset rowIndexSet(const std::vector<int64_t>& rows, const std::string& name) {
    Dataset d;
    d.name = name;
    d.count = static_cast<int64_t>(rows.size());
    d.sampleShape = Shape{0};
    d.numClasses = 1;
    for (int64_t r : rows) d.labels.push_back(static_cast<int32_t>(r));
    return d;
}

std::vector<int64_t> rowsOf(const Dataset& rowIndices) {
    return {rowIndices.labels.begin(), rowIndices.labels.end()};
}

// CSV and synthetic data come as one set; a seeded random testFraction becomes the test set.
DataSplit splitOffTest(Dataset all, double testFraction, uint64_t seed) {
    const std::string base = all.name;
    DataSplit s;
    const int64_t held = fractionOf(all.count, testFraction, "test fraction");
    s.test = holdOut(all, held, seed, kTestSplitSalt);
    s.train = std::move(all);
    s.train.name = base + " train";
    s.test.name = base + " test";
    return s;
}

// A text file's lines in a seeded random order (a sorted file, a word list, would otherwise give
// a training limit nothing but its first letters), then the test part held out.
DataSplit splitTextLines(Dataset text, double testFraction, uint64_t seed) {
    std::vector<int64_t> order(static_cast<size_t>(text.count));
    std::iota(order.begin(), order.end(), int64_t{0});
    Rng rng = Rng(seed).derive(kTextOrderSalt);
    std::shuffle(order.begin(), order.end(), rng.generator());
    return splitOffTest(text.subset(order), testFraction, seed);
}

// What every kind shares after its split: the limits, the images' scaling and the validation
// hold-out (possibly empty; it keeps the metadata of the training set).
void finishSplit(DataSplit& s, const DatasetConfig& config, double validationSplit, uint64_t seed) {
    keepFirst(s.train, config.limitTrain);
    keepFirst(s.test, config.limitTest);
    for (Dataset* d : {&s.train, &s.test})
        if (d->isImage()) applyScaling(*d, config.scaling);
    const int64_t held = fractionOf(s.train.count, validationSplit, "validation split");
    std::string base = s.train.name;
    if (base.size() > 6 && base.ends_with(" train")) base.resize(base.size() - 6);
    s.validation = holdOut(s.train, held, seed, kValidationSalt);
    s.validation.name = base + " validation";
}

}  // namespace

void Dataset::fillBatch(const int64_t* indices, int64_t n, Tensor& x, Tensor* y) const {
    if (n < 0) throw Error("dataset '" + name + "': negative batch size");
    const int64_t per = sampleShape.elements();
    const bool regression = targetSize > 0;
    x.resize(n, sampleShape);
    if (y) {
        if (!regression && numClasses <= 0)
            throw Error("dataset '" + name + "' has neither class labels nor targets");
        if (regression)
            y->resize({n, targetSize});
        else
            y->resize({n});
    }
    if (n == 0) return;

    const size_t need = static_cast<size_t>(count * per);
    const SampleStorage storage = this->storage();
    const size_t have = storage == SampleStorage::Pixels   ? pixels.size()
                        : storage == SampleStorage::Tokens ? tokens.size()
                                                           : features.size();
    if (have < need || (y && !regression && labels.size() < static_cast<size_t>(count)) ||
        (y && regression && targets.size() < static_cast<size_t>(count * targetSize)))
        throw Error("dataset '" + name + "' is inconsistent: fewer values than samples");

    float* out = x.data();
    const float s = scale, o = offset;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t index = indices[i];
        checkIndex(*this, index);
        float* dst = out + i * per;
        if (storage == SampleStorage::Pixels) {
            const uint8_t* src = pixels.data() + index * per;
#pragma omp simd
            for (int64_t k = 0; k < per; ++k) dst[k] = static_cast<float>(src[k]) * s + o;
        } else if (storage == SampleStorage::Tokens) {
            const int32_t* src = tokens.data() + index * per;
            for (int64_t k = 0; k < per; ++k) dst[k] = static_cast<float>(src[k]);
        } else {
            std::memcpy(dst, features.data() + index * per,
                        static_cast<size_t>(per) * sizeof(float));
        }
    }
    if (!y) return;
    float* yd = y->data();
    if (regression) {
        for (int64_t i = 0; i < n; ++i)
            std::memcpy(yd + i * targetSize, targets.data() + indices[i] * targetSize,
                        static_cast<size_t>(targetSize) * sizeof(float));
    } else {
        for (int64_t i = 0; i < n; ++i)
            yd[i] = static_cast<float>(labels[static_cast<size_t>(indices[i])]);
    }
}

Dataset Dataset::subset(const std::vector<int64_t>& indices) const {
    Dataset s;
    s.name = name;
    s.sampleShape = sampleShape;
    s.scale = scale;
    s.offset = offset;
    s.targetSize = targetSize;
    s.vocabularySize = vocabularySize;
    s.vocabulary = vocabulary;
    s.numClasses = numClasses;
    s.classNames = classNames;
    s.csvPrep = csvPrep;
    s.notes = notes;
    s.count = static_cast<int64_t>(indices.size());
    const auto per = static_cast<size_t>(sampleShape.elements());
    const auto ts = static_cast<size_t>(targetSize);
    if (!pixels.empty()) s.pixels.reserve(indices.size() * per);
    if (!features.empty()) s.features.reserve(indices.size() * per);
    if (!tokens.empty()) s.tokens.reserve(indices.size() * per);
    if (!labels.empty()) s.labels.reserve(indices.size());
    if (!targets.empty()) s.targets.reserve(indices.size() * ts);
    for (int64_t index : indices) {
        checkIndex(*this, index);
        const auto i = static_cast<size_t>(index);
        if (!pixels.empty())
            s.pixels.insert(s.pixels.end(), pixels.begin() + i * per,
                            pixels.begin() + (i + 1) * per);
        if (!features.empty())
            s.features.insert(s.features.end(), features.begin() + i * per,
                              features.begin() + (i + 1) * per);
        if (!tokens.empty())
            s.tokens.insert(s.tokens.end(), tokens.begin() + i * per,
                            tokens.begin() + (i + 1) * per);
        if (!labels.empty()) s.labels.push_back(labels[i]);
        if (!targets.empty())
            s.targets.insert(s.targets.end(), targets.begin() + i * ts,
                             targets.begin() + (i + 1) * ts);
    }
    return s;
}

DataSplit loadData(const DatasetConfig& config, double validationSplit, uint64_t seed,
                   const CsvPrepFit* fitted) {
    checkFraction(validationSplit, "validation split");
    if (config.limitTrain < 0 || config.limitTest < 0)
        throw Error("dataset limits must be 0 (all samples) or a positive count");
    if (config.scaling != "unit" && config.scaling != "signed") {
        throw Error("unknown image scaling '" + config.scaling +
                    "': choose unit ([0, 1]) or signed ([-1, 1])");
    }

    DataSplit s;
    CsvTable table;
    CsvPrepFit prep;
    std::vector<int64_t> keptRows;
    if (config.kind == "fashion-mnist") {
        s = loadFashion();
    } else if (config.kind == "idx") {
        s = loadIdx(config);
    } else if (config.kind == "csv") {
        checkFraction(config.testFraction, "test fraction");
        if (config.csvPath.empty()) throw Error("CSV dataset: no file is set");
        table = readCsvTable(config.csvPath, config.csvHeader);
        if (fitted) {
            checkCsvFitMatches(table, *fitted);
            prep = *fitted;
        } else {
            prep = planCsvPrep(table, config);
        }
        keptRows = keptCsvRows(table, prep);
        // Split row numbers exactly as samples are split; the rows are prepared below, once
        // the training part is final.
        s = splitOffTest(rowIndexSet(keptRows, config.csvPath), config.testFraction, seed);
    } else if (config.kind == "synthetic") {
        checkFraction(config.testFraction, "test fraction");
        s = splitOffTest(
            makeSynthetic(config.synthetic, config.syntheticSamples, config.syntheticNoise, seed),
            config.testFraction, seed);
    } else if (config.kind == "text") {
        checkFraction(config.testFraction, "test fraction");
        s = splitTextLines(
            readTextDataset(config.textPath, {config.textMaxLine, config.textMaxVocabulary}),
            config.testFraction, seed);
    } else if (config.kind == "sines") {
        checkFraction(config.testFraction, "test fraction");
        s = splitOffTest(makeSines({config.syntheticSamples, config.sinesWindow,
                                    config.sinesHorizon, config.syntheticNoise},
                                   seed),
                         config.testFraction, seed);
    } else {
        throw Error("unknown dataset kind '" + config.kind +
                    "': choose fashion-mnist, idx, csv, synthetic, text or sines");
    }

    finishSplit(s, config, validationSplit, seed);
    if (config.kind == "csv") {
        // Statistics from the training part only, applied unchanged to every part.
        if (!fitted) fitCsvPrep(table, prep, keptRows, rowsOf(s.train));
        for (Dataset* d : {&s.train, &s.validation, &s.test})
            *d = applyCsvPrep(table, prep, rowsOf(*d), d->name);
    }
    return s;
}

TextSplitLines textSplitLines(const DatasetConfig& config, int64_t lines, double validationSplit,
                              uint64_t seed) {
    checkFraction(config.testFraction, "test fraction");
    // The same steps as loadData, on a set whose one token per sample is its line number.
    Dataset numbers;
    numbers.name = "lines";
    numbers.sampleShape = Shape{1};
    numbers.count = lines;
    numbers.vocabularySize = lines;
    numbers.tokens.resize(static_cast<size_t>(std::max<int64_t>(lines, 0)));
    std::iota(numbers.tokens.begin(), numbers.tokens.end(), int32_t{0});
    DataSplit s = splitTextLines(std::move(numbers), config.testFraction, seed);
    finishSplit(s, config, validationSplit, seed);
    auto rows = [](const Dataset& d) {
        return std::vector<int64_t>(d.tokens.begin(), d.tokens.end());
    };
    return {rows(s.train), rows(s.validation), rows(s.test)};
}

const std::vector<std::string>& fashionClassNames() {
    static const std::vector<std::string> names = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

std::string fashionMnistDir() {
    const char* env = std::getenv("NETLOOM_FASHION_DIR");
    return env && *env ? env : "/usr/share/datasets/fashion-mnist";
}

}  // namespace netloom::engine
