#pragma once
// One tensor in a project file:
//   {"shape": [256, 784], "dtype": "f32", "crc32": 123, "data": "<base64>"}
// data is the row-major float32 values as little-endian bytes; crc32 (zlib's CRC-32) covers
// those bytes. The reader checks rank, dims and element count, then the encoded length against
// the shape, and only then decodes and allocates.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/tensor.h"
#include "engine/io/json_read.h"

namespace netloom::engine {

inline constexpr int kMaxTensorRank = 6;
inline constexpr int64_t kMaxTensorElements = int64_t{1} << 28;  // 1 GiB of float32

// CRC-32 (zlib) of a byte buffer of any size.
uint32_t crc32Of(const uint8_t* data, size_t size);

// Throws netloom::Error "<what>: ..." when the tensor cannot be written so that it reads back
// (no elements, a zero dimension, rank or size over the limits). With `blobs`, "data" holds a
// placeholder and the base64 text is appended to *blobs (see json_blobs.h).
nlohmann::ordered_json tensorToJson(const Tensor& tensor, const std::string& what,
                                    std::vector<std::string>* blobs = nullptr);

// Fails through the cursor ("at .../shape: ...", ".../data: ...", ".../crc32: ...").
Tensor tensorFromJson(const JsonCursor& cursor);

}  // namespace netloom::engine
