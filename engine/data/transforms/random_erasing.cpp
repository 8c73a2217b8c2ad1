#include "engine/data/transforms/random_erasing.h"

#include <cmath>
#include <random>

#include "engine/data/transforms/image_batch.h"

namespace netloom::engine {

RandomErasing::RandomErasing(ErasingOptions o, uint64_t seed) : m_o(o), m_rng(seed) {
    if (!(o.p >= 0.0 && o.p <= 1.0)) throw Error("random erasing's probability must be in [0, 1]");
    if (!(o.areaMin > 0.0 && o.areaMin <= o.areaMax && o.areaMax <= 1.0))
        throw Error("random erasing's area range must satisfy 0 < min ≤ max ≤ 1");
    if (!(o.aspectMin > 0.0 && o.aspectMin <= o.aspectMax))
        throw Error("random erasing's aspect range must satisfy 0 < min ≤ max");
    if (!(o.valueMin <= o.valueMax)) throw Error("random erasing's value range is inverted");
}

ErasedRect RandomErasing::draw(int64_t h, int64_t w) {
    auto& g = m_rng.generator();
    std::uniform_real_distribution<double> area(m_o.areaMin, m_o.areaMax);
    std::uniform_real_distribution<double> aspect(m_o.aspectMin, m_o.aspectMax);
    const double imageArea = static_cast<double>(h * w);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const double target = area(g) * imageArea;
        const double ratio = aspect(g);
        const auto eh = static_cast<int64_t>(std::lround(std::sqrt(target * ratio)));
        const auto ew = static_cast<int64_t>(std::lround(std::sqrt(target / ratio)));
        if (eh < 1 || ew < 1 || eh >= h || ew >= w) continue;  // the paper's He < H, We < W
        const double a = static_cast<double>(eh * ew) / imageArea;
        const double r = static_cast<double>(eh) / static_cast<double>(ew);
        if (a < m_o.areaMin || a > m_o.areaMax || r < m_o.aspectMin || r > m_o.aspectMax) continue;
        ErasedRect rect;
        rect.h = eh;
        rect.w = ew;
        rect.x = std::uniform_int_distribution<int64_t>(0, w - ew)(g);
        rect.y = std::uniform_int_distribution<int64_t>(0, h - eh)(g);
        return rect;
    }
    return {};
}

void RandomErasing::transform(Tensor& x) {
    const ImageBatch b = ImageBatch::of(x, "random erasing");
    auto& g = m_rng.generator();
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::uniform_real_distribution<float> value(m_o.valueMin, m_o.valueMax);
    m_rects.assign(static_cast<size_t>(b.n), ErasedRect{});
    for (int64_t i = 0; i < b.n; ++i) {
        if (!(u(g) < m_o.p)) continue;
        const ErasedRect r = draw(b.height, b.width);
        m_rects[static_cast<size_t>(i)] = r;
        for (int64_t c = 0; c < b.channels; ++c) {
            float* p = x.data() + i * b.sample() + c * b.plane();
            for (int64_t y = r.y; y < r.y + r.h; ++y)
                for (int64_t xx = r.x; xx < r.x + r.w; ++xx) p[y * b.width + xx] = value(g);
        }
    }
}

}  // namespace netloom::engine
