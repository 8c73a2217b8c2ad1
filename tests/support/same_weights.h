#pragma once
// Bit-for-bit comparison of two weight sets (same layers, tensors, shapes and values).
#include <cstring>

#include "engine/project/project.h"

namespace netloom::test {

inline bool sameWeights(const engine::WeightSet& a, const engine::WeightSet& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [node, tensors] : a) {
        auto it = b.find(node);
        if (it == b.end() || it->second.size() != tensors.size()) return false;
        for (const auto& [name, t] : tensors) {
            auto jt = it->second.find(name);
            if (jt == it->second.end() || jt->second.dims() != t.dims()) return false;
            if (std::memcmp(t.data(), jt->second.data(), sizeof(float) * size_t(t.size())))
                return false;
        }
    }
    return true;
}

}  // namespace netloom::test
