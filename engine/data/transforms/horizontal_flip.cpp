#include "engine/data/transforms/horizontal_flip.h"

#include <algorithm>
#include <random>

#include "engine/data/transforms/image_batch.h"

namespace netloom::engine {

HorizontalFlip::HorizontalFlip(double p, uint64_t seed) : m_p(p), m_rng(seed) {
    if (!(p >= 0.0 && p <= 1.0)) throw Error("horizontal flip's probability must be in [0, 1]");
}

void HorizontalFlip::transform(Tensor& x) {
    const ImageBatch b = ImageBatch::of(x, "horizontal flip");
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int64_t i = 0; i < b.n; ++i) {
        if (!(u(m_rng.generator()) < m_p)) continue;  // one draw per image, flipped or not
        float* img = x.data() + i * b.sample();
        for (int64_t row = 0; row < b.channels * b.height; ++row)
            std::reverse(img + row * b.width, img + (row + 1) * b.width);
    }
}

}  // namespace netloom::engine
