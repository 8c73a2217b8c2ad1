#include "engine/data/transforms/random_crop.h"

#include <algorithm>
#include <random>

#include "engine/data/transforms/image_batch.h"

namespace netloom::engine {

RandomCrop::RandomCrop(int64_t padding, float fill, uint64_t seed)
    : m_padding(padding), m_fill(fill), m_rng(seed) {
    if (padding < 0) throw Error("random crop's padding must be at least 0");
}

void RandomCrop::crop(const float* in, float* out, int64_t h, int64_t w, int64_t padding,
                      int64_t dx, int64_t dy, float fill) {
    for (int64_t y = 0; y < h; ++y) {
        const int64_t sy = y + dy - padding;
        float* row = out + y * w;
        if (sy < 0 || sy >= h) {
            std::fill(row, row + w, fill);
            continue;
        }
        for (int64_t x = 0; x < w; ++x) {
            const int64_t sx = x + dx - padding;
            row[x] = sx >= 0 && sx < w ? in[sy * w + sx] : fill;
        }
    }
}

void RandomCrop::transform(Tensor& x) {
    if (m_padding == 0) return;
    const ImageBatch b = ImageBatch::of(x, "random crop");
    std::uniform_int_distribution<int64_t> offset(0, 2 * m_padding);
    m_plane.resize(static_cast<size_t>(b.plane()));
    for (int64_t i = 0; i < b.n; ++i) {
        // One offset per image, the same for all its channels.
        const int64_t dx = offset(m_rng.generator());
        const int64_t dy = offset(m_rng.generator());
        for (int64_t c = 0; c < b.channels; ++c) {
            float* p = x.data() + i * b.sample() + c * b.plane();
            std::copy(p, p + b.plane(), m_plane.begin());
            crop(m_plane.data(), p, b.height, b.width, m_padding, dx, dy, m_fill);
        }
    }
}

}  // namespace netloom::engine
