#pragma once
// The edge of one oneDNN primitive: a user buffer in our plain layout and the layout the
// primitive chose (format_tag::any). When they differ the primitive works on its own buffer and
// a reorder converts at the edge (before it for inputs, after it for outputs). Used by the
// layers that let oneDNN pick blocked layouts (Conv2D and Conv2DTranspose, conv_layer_base.h).
#include <dnnl.hpp>

namespace netloom::engine::dnnlu {

struct Edge {
    dnnl::memory user, prim;
    dnnl::reorder convert;
    bool reorders = false;

    Edge() = default;
    Edge(const dnnl::memory::desc& plain, const dnnl::memory::desc& wanted, const dnnl::engine& eng,
         bool isInput) {
        user = dnnl::memory(plain, eng, nullptr);
        if (wanted == plain) {
            prim = user;
            return;
        }
        reorders = true;
        prim = dnnl::memory(wanted, eng);
        convert = isInput ? dnnl::reorder(user, prim) : dnnl::reorder(prim, user);
    }
    // Input: binds the data and converts it when needed; returns what the primitive reads.
    dnnl::memory& in(const float* data, dnnl::stream& s) {
        user.set_data_handle(const_cast<float*>(data));
        if (reorders) convert.execute(s, user, prim);
        return prim;
    }
    // Output: binds the destination; call finish() after the primitive ran.
    dnnl::memory& out(float* data) {
        user.set_data_handle(data);
        return prim;
    }
    void finish(dnnl::stream& s) {
        if (reorders) convert.execute(s, prim, user);
    }
};

}  // namespace netloom::engine::dnnlu
