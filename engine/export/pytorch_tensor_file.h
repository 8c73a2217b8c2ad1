#pragma once
// The tensor file that carries weights between NetLoom and the exported PyTorch script (and
// the small data sets the script cannot read itself). numpy reads it without torch:
//   8 bytes  "NLTENSOR"
//   8 bytes  header length H, unsigned little-endian
//   H bytes  JSON: {"format": "netloom-tensors", "version": 1, "meta": {...},
//                   "tensors": [{"name": "fc1.weight", "shape": [256, 784], "offset": 0}, ...]}
//   data     float32 little-endian; each tensor at `offset` bytes from the start of the data
// The script's read_tensors()/write_tensors() are the Python side of the same format.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/tensor.h"

namespace netloom::engine {

struct TensorFile {
    nlohmann::json meta = nlohmann::json::object();
    std::vector<std::pair<std::string, Tensor>> tensors;  // in file order

    const Tensor* find(const std::string& name) const;
};

// Throws Error naming the path when it cannot be written.
void writeTensorFile(const std::string& path, const TensorFile& file);
// Throws Error naming the path and what is wrong: not a tensor file, truncated, a header that
// is not JSON, a tensor whose shape or offset runs past the data, a duplicate name.
TensorFile readTensorFile(const std::string& path);

}  // namespace netloom::engine
