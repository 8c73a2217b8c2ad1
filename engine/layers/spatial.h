#pragma once
// Geometry shared by the sliding-window layers (Conv2D, MaxPool2D, AvgPool2D): output size and
// padding per spatial axis with TensorFlow's "same"/"valid" rules, and the image-input check.
#include <algorithm>
#include <cstdint>
#include <string>

#include "engine/core/error.h"
#include "engine/core/shape.h"

namespace netloom::engine::spatial {

// One spatial axis of a sliding window: output length and padding before/after.
struct Axis {
    int64_t out = 0;
    int64_t padBefore = 0;
    int64_t padAfter = 0;
};

// Kernel extent including dilation: (k - 1)·d + 1.
inline int64_t extent(int64_t kernel, int64_t dilation) {
    return (kernel - 1) * dilation + 1;
}

// "same": out = ceil(in / stride), total padding split as evenly as possible with the extra
// element after (bottom/right), like TensorFlow. "valid": no padding, the window must fit.
// Throws Error (naming the axis and sizes) when a valid window does not fit.
inline Axis slide(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, bool same,
                  const char* axisName) {
    const int64_t ext = extent(kernel, dilation);
    Axis a;
    if (same) {
        a.out = (in + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((a.out - 1) * stride + ext - in, 0);
        a.padBefore = total / 2;
        a.padAfter = total - a.padBefore;
        return a;
    }
    if (ext > in) {
        const std::string size = dilation > 1 ? std::to_string(kernel) + " with dilation " +
                                                    std::to_string(dilation) + " spans " +
                                                    std::to_string(ext) + ","
                                              : "size " + std::to_string(kernel) + " is";
        throw Error("kernel " + size + " larger than the input " + axisName + " " +
                    std::to_string(in) + ": use padding 'same' or a smaller kernel");
    }
    a.out = (in - ext) / stride + 1;
    return a;
}

// Explicit padding: `pad` zeros on both sides (PyTorch's padding=p, ONNX's symmetric pads);
// out = floor((in + 2·pad − extent) / stride) + 1, and the after-side is reported as `pad`
// (the windows may leave its last elements unused, as oneDNN's and ONNX's floor rule allow).
inline Axis slideExplicit(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad,
                          const char* axisName) {
    const int64_t ext = extent(kernel, dilation);
    if (ext > in + 2 * pad)
        throw Error("kernel spanning " + std::to_string(ext) + " is larger than the input " +
                    axisName + " " + std::to_string(in) + " padded by " + std::to_string(pad) +
                    " on each side: pad more or use a smaller kernel");
    Axis a;
    a.out = (in + 2 * pad - ext) / stride + 1;
    a.padBefore = a.padAfter = pad;
    return a;
}

// Throws unless the sample shape is an image C×H×W.
inline void requireImage(const Shape& s) {
    if (s.rank() == 3) return;
    throw Error("expects an image input C×H×W, got " + s.toString() + ": insert Reshape");
}

}  // namespace netloom::engine::spatial
