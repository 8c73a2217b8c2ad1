#pragma once
// Horizontal flip: each image is mirrored left–right with probability p. Right for clothing,
// wrong for digits and letters (a mirrored 2 is no digit), so it is a per-project toggle.
#include <cstdint>

#include "engine/core/rng.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

inline constexpr const char* kHorizontalFlipName = "horizontal_flip";

class HorizontalFlip : public BatchTransform {
public:
    HorizontalFlip(double p, uint64_t seed);
    std::string name() const override { return kHorizontalFlipName; }
    Rng* generator() override { return &m_rng; }
    void transform(Tensor& x) override;

private:
    double m_p;
    Rng m_rng;
};

}  // namespace netloom::engine
