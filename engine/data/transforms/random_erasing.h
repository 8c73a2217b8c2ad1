#pragma once
// Random erasing (Zhong et al., "Random Erasing Data Augmentation", 2017, Algorithm 1): with
// probability p an image gets one rectangle of random values. Its area is a fraction of the
// image drawn from [area_min, area_max], its aspect ratio (height / width) from
// [aspect_min, aspect_max]; a rectangle that does not fit is drawn again (up to 100 tries,
// then the image stays as it is). Rounded sides are kept only if the rounded rectangle still
// lies within both ranges, so the ranges hold exactly.
#include <cstdint>

#include "engine/core/rng.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

inline constexpr const char* kRandomErasingName = "random_erasing";

struct ErasingOptions {
    double p = 0.5;
    double areaMin = 0.02, areaMax = 0.4;
    double aspectMin = 0.3, aspectMax = 3.3;
    float valueMin = 0.0f, valueMax = 1.0f;  // the erased pixels: uniform in this range
};

// Where an erasing went in one image; empty (h = 0) when none.
struct ErasedRect {
    int64_t x = 0, y = 0, w = 0, h = 0;
};

class RandomErasing : public BatchTransform {
public:
    // Throws Error for an empty or inverted range or values outside (0, 1] / (0, ∞).
    RandomErasing(ErasingOptions options, uint64_t seed);
    std::string name() const override { return kRandomErasingName; }
    Rng* generator() override { return &m_rng; }
    void transform(Tensor& x) override;
    // The rectangles of the last transform() call, one per image.
    const std::vector<ErasedRect>& lastRects() const { return m_rects; }

private:
    ErasedRect draw(int64_t h, int64_t w);
    ErasingOptions m_o;
    Rng m_rng;
    std::vector<ErasedRect> m_rects;
};

}  // namespace netloom::engine
