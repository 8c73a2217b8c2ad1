#pragma once
// Bit-for-bit comparison of two weight sets (same layers, tensors, shapes and values).
#include <cstring>
#include <map>
#include <string>

#include "engine/project/project.h"

namespace netloom::test {

// One layer's tensors, bit for bit.
inline bool sameTensors(const std::map<std::string, engine::Tensor>& a,
                        const std::map<std::string, engine::Tensor>& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [name, t] : a) {
        auto it = b.find(name);
        if (it == b.end() || it->second.dims() != t.dims() ||
            std::memcmp(t.data(), it->second.data(), sizeof(float) * size_t(t.size())) != 0)
            return false;
    }
    return true;
}

inline bool sameWeights(const engine::WeightSet& a, const engine::WeightSet& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [node, tensors] : a) {
        auto it = b.find(node);
        if (it == b.end() || !sameTensors(tensors, it->second)) return false;
    }
    return true;
}

}  // namespace netloom::test
