#pragma once
// Random crop with padding (the standard CIFAR/Fashion-MNIST augmentation, torchvision's
// RandomCrop(size, padding)): each image is padded by `padding` pixels of the background value
// on every side and a window of the original size is cut at a random offset, i.e. shifted by
// up to ±padding pixels in x and y.
#include <cstdint>

#include "engine/core/rng.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

inline constexpr const char* kRandomCropName = "random_crop";

class RandomCrop : public BatchTransform {
public:
    // padding: a whole number ≥ 0; fill: the value of the padded pixels (the background).
    RandomCrop(int64_t padding, float fill, uint64_t seed);
    std::string name() const override { return kRandomCropName; }
    Rng* generator() override { return &m_rng; }
    void transform(Tensor& x) override;
    // One image's crop at offset (dx, dy) in [0, 2·padding]: out(y, x) = in(y + dy − p, x + dx −
    // p).
    static void crop(const float* in, float* out, int64_t h, int64_t w, int64_t padding, int64_t dx,
                     int64_t dy, float fill);

private:
    int64_t m_padding;
    float m_fill;
    Rng m_rng;
    std::vector<float> m_plane;
};

}  // namespace netloom::engine
