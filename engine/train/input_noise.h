#pragma once
// Denoising autoencoders: the reconstruction task can train on inputs corrupted by Gaussian
// noise while the loss still compares with the clean input, so the network learns to remove
// noise. Seeded from the run seed; training batches only (evaluation sees clean inputs).
#include <cstdint>

#include "engine/core/rng.h"
#include "engine/core/tensor.h"
#include "engine/train/evaluator.h"

namespace netloom::engine {

class InputNoise {
public:
    // stddev in [0, 1] (throws Error otherwise); 0 or a task other than reconstruction = off.
    InputNoise(TargetKind kind, double stddev, uint64_t seed);

    bool active() const { return m_stddev > 0.0f; }
    // The batch the network sees: x itself when off, else a noisy copy (x is never changed).
    const Tensor& apply(const Tensor& x);

private:
    float m_stddev = 0.0f;
    Rng m_rng;
    Tensor m_noisy;
};

}  // namespace netloom::engine
