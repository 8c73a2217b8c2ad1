#pragma once
// The geometry of a batch of images {N, C, H, W} (or {N, H, W}) for the augmentation
// transforms, which move pixels within each image and must refuse anything else.
#include <cstdint>
#include <string>

#include "engine/core/error.h"
#include "engine/core/tensor.h"

namespace netloom::engine {

struct ImageBatch {
    int64_t n = 0, channels = 1, height = 0, width = 0;
    int64_t plane() const { return height * width; }
    int64_t sample() const { return channels * plane(); }

    // Throws Error naming the transform when x is not a batch of images.
    static ImageBatch of(const Tensor& x, const std::string& transform) {
        const auto& d = x.dims();
        ImageBatch b;
        if (d.size() == 4) {
            b = {d[0], d[1], d[2], d[3]};
        } else if (d.size() == 3) {
            b = {d[0], 1, d[1], d[2]};
        } else {
            std::string shape;
            for (size_t i = 1; i < d.size(); ++i)
                shape += (i > 1 ? "×" : "") + std::to_string(d[i]);
            throw Error(transform + " needs images (channels × height × width), got samples of " +
                        (shape.empty() ? std::string("no shape") : shape));
        }
        return b;
    }
};

}  // namespace netloom::engine
