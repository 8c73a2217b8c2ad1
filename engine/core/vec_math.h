#pragma once
// Branch-free float math that GCC vectorizes inside `#pragma omp simd` loops (the libm calls
// stay scalar and cost ~10 ns each, which made the BCE loss over a 64×784 batch slower than
// the layers around it).
#include <bit>
#include <cstdint>

namespace netloom::engine::vmath {

// max(x, floor) by value (std::max returns a reference and std::fmax calls libm; both keep
// loops scalar).
inline float atLeast(float x, float floor) {
    return x > floor ? x : floor;
}

// Natural logarithm (the Cephes logf polynomial): relative error below 2e-7 for normal x > 0.
// Returns -1e30 for x below the smallest normal float (0 included), negative x, inf and NaN;
// callers clamp.
inline float logf(float x) {
    // x = (1 + m)·2^e with 1 + m in [sqrt(0.5), sqrt(2)): adding the offset below carries into the
    // exponent exactly when the mantissa is at or above sqrt(2)'s, so no branch or select on it
    // (selects on integers kept GCC from vectorizing the loop).
    const uint32_t bits = std::bit_cast<uint32_t>(x);
    const uint32_t ix = bits + (0x3f800000u - 0x3f3504f3u);
    const float fe = static_cast<float>(static_cast<int32_t>(ix >> 23) - 127);
    const float m = std::bit_cast<float>((ix & 0x007fffffu) + 0x3f3504f3u) - 1.0f;
    const float z = m * m;
    float y = 7.0376836292e-2f;
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += -2.12194440e-4f * fe;
    y += -0.5f * z;
    const float r = m + y + 0.693359375f * fe;
    // Positive normal finite x only; an integer test, since a float compare may trap and GCC
    // will not if-convert it.
    return bits - 0x00800000u < 0x7f000000u ? r : -1e30f;
}

}  // namespace netloom::engine::vmath
