#pragma once
// Small helpers for wrapping plain-layout Tensors as oneDNN memory.
#include <dnnl.hpp>
#include <vector>

#include "engine/core/dnnl_context.h"
#include "engine/core/tensor.h"

namespace netloom::engine::dnnlu {

using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

inline dnnl::memory::dims toDims(const std::vector<int64_t>& d) {
    return dnnl::memory::dims(d.begin(), d.end());
}

// Plain row-major tag for a rank: a, ab, abc, abcd, abcde.
inline tag plainTag(size_t rank) {
    switch (rank) {
        case 1:
            return tag::a;
        case 2:
            return tag::ab;
        case 3:
            return tag::abc;
        case 4:
            return tag::abcd;
        default:
            return tag::abcde;
    }
}

inline dnnl::memory::desc plainDesc(const std::vector<int64_t>& dims) {
    return dnnl::memory::desc(toDims(dims), dt::f32, plainTag(dims.size()));
}

// A dnnl::memory bound to a Tensor's buffer; rebind each call (cheap: set_data_handle).
inline dnnl::memory bind(dnnl::memory& mem, const Tensor& t) {
    mem.set_data_handle(const_cast<float*>(t.data()));
    return mem;
}

}  // namespace netloom::engine::dnnlu
