#include "engine/data/transforms/random_affine.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "engine/data/transforms/image_batch.h"

namespace netloom::engine {

RandomAffine::RandomAffine(double degrees, double zoom, float fill, uint64_t seed)
    : m_degrees(degrees), m_zoom(zoom), m_fill(fill), m_rng(seed) {
    if (!(degrees >= 0.0 && degrees <= 180.0))
        throw Error("random rotation's angle must be between 0 and 180 degrees");
    if (!(zoom >= 0.0 && zoom < 1.0)) throw Error("random zoom must be at least 0 and below 1");
}

void RandomAffine::warp(const float* in, float* out, int64_t h, int64_t w, double degrees,
                        double scale, float fill) {
    const double a = degrees * std::numbers::pi / 180.0;
    const double cosA = std::cos(a) / scale, sinA = std::sin(a) / scale;
    const double cx = (static_cast<double>(w) - 1.0) / 2.0;
    const double cy = (static_cast<double>(h) - 1.0) / 2.0;
    auto at = [&](int64_t y, int64_t x) {
        return x >= 0 && x < w && y >= 0 && y < h ? in[y * w + x] : fill;
    };
    for (int64_t y = 0; y < h; ++y) {
        for (int64_t x = 0; x < w; ++x) {
            // The inverse of the forward map p' − c = S·R(a)·(p − c), R(a) = [[cos, sin],
            // [−sin, cos]] in (x, y-down) coordinates (counter-clockwise as seen).
            const double dx = static_cast<double>(x) - cx, dy = static_cast<double>(y) - cy;
            const double sx = cx + cosA * dx - sinA * dy;
            const double sy = cy + sinA * dx + cosA * dy;
            const double fx = std::floor(sx), fy = std::floor(sy);
            const auto x0 = static_cast<int64_t>(fx), y0 = static_cast<int64_t>(fy);
            const double tx = sx - fx, ty = sy - fy;
            const double top = (1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1);
            const double bottom = (1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1);
            out[y * w + x] = static_cast<float>((1 - ty) * top + ty * bottom);
        }
    }
}

void RandomAffine::transform(Tensor& x) {
    if (m_degrees == 0.0 && m_zoom == 0.0) return;
    const ImageBatch b = ImageBatch::of(x, "random rotation/zoom");
    std::uniform_real_distribution<double> angle(-m_degrees, m_degrees);
    std::uniform_real_distribution<double> scale(1.0 - m_zoom, 1.0 + m_zoom);
    m_plane.resize(static_cast<size_t>(b.plane()));
    for (int64_t i = 0; i < b.n; ++i) {
        const double a = m_degrees > 0 ? angle(m_rng.generator()) : 0.0;
        const double s = m_zoom > 0 ? scale(m_rng.generator()) : 1.0;
        for (int64_t c = 0; c < b.channels; ++c) {
            float* p = x.data() + i * b.sample() + c * b.plane();
            std::copy(p, p + b.plane(), m_plane.begin());
            warp(m_plane.data(), p, b.height, b.width, a, s, m_fill);
        }
    }
}

}  // namespace netloom::engine
