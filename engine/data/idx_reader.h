#pragma once
// IDX files (the MNIST format), plain or gzip-compressed (detected by the magic bytes 1f 8b).
// Only uint8 data is read: images as rank 3 (count×rows×cols), labels as rank 1 (count).
// Headers are validated before anything is allocated, and gzip data is decompressed as a stream
// with a cap of header + promised payload + 1 byte, so a gzip bomb cannot exhaust memory.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace netloom::engine {

// Limits of what a header may promise; larger values are reported as damaged files.
inline constexpr int64_t kIdxMaxDimension = 100'000'000;
inline constexpr int64_t kIdxMaxPayloadBytes = int64_t{1} << 31;

struct IdxArray {
    std::vector<int64_t> dims;  // as in the header, e.g. {10000, 28, 28}
    std::vector<uint8_t> data;  // exactly the product of dims bytes
};

// Reads a uint8 IDX file of the expected rank (3 for images, 1 for labels). Throws
// netloom::Error "<path>: <problem>" for a missing file, a wrong magic number, another data type
// or rank, zero or huge dimensions, a truncated payload, trailing bytes or damaged gzip data.
IdxArray readIdx(const std::string& path, int expectedRank);
inline IdxArray readIdxImages(const std::string& path) {
    return readIdx(path, 3);
}
inline IdxArray readIdxLabels(const std::string& path) {
    return readIdx(path, 1);
}

// Loads an images file and its labels file as a Dataset of uint8 images {1, rows, cols}.
// Counts must agree and every label must be < numClasses; numClasses == 0 means "max label + 1".
// Class names are "0", "1", ... (callers with real names replace them).
Dataset loadIdxDataset(const std::string& imagesPath, const std::string& labelsPath,
                       int numClasses = 10);

// 47040000 → "47,040,000" (used in messages).
std::string withThousands(int64_t value);

}  // namespace netloom::engine
