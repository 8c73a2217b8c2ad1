#pragma once
// Small random rotation and zoom about the image centre, by inverse mapping: every output pixel
// asks where it comes from in the input and interpolates bilinearly there (no holes, unlike
// pushing input pixels forward). Neighbours outside the image count as the background value.
#include <cstdint>
#include <vector>

#include "engine/core/rng.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

inline constexpr const char* kRandomAffineName = "random_affine";

class RandomAffine : public BatchTransform {
public:
    // degrees: the angle is drawn from [−degrees, degrees]; zoom: the scale from
    // [1 − zoom, 1 + zoom]; fill: the background value.
    RandomAffine(double degrees, double zoom, float fill, uint64_t seed);
    std::string name() const override { return kRandomAffineName; }
    Rng* generator() override { return &m_rng; }
    void transform(Tensor& x) override;
    // One image rotated counter-clockwise (as seen, y pointing down) by `degrees` and scaled by
    // `scale` about its centre ((w−1)/2, (h−1)/2): out(p) = in(c + R(−a)·(p − c)/scale).
    static void warp(const float* in, float* out, int64_t h, int64_t w, double degrees,
                     double scale, float fill);

private:
    double m_degrees, m_zoom;
    float m_fill;
    Rng m_rng;
    std::vector<float> m_plane;
};

}  // namespace netloom::engine
