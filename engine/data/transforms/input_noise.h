#pragma once
// Denoising autoencoders: the reconstruction task can train on inputs corrupted by Gaussian
// noise while the loss still compares with the clean input, so the network learns to remove
// noise. A batch transform: training batches only (evaluation sees clean inputs), seeded.
#include <cstdint>

#include "engine/core/rng.h"
#include "engine/core/tensor.h"
#include "engine/data/target_kind.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

// Registry name and generator salt (the salt of the trainer before the pipeline, so runs replay).
inline constexpr const char* kInputNoiseName = "input_noise";
inline constexpr uint64_t kInputNoiseSalt = 0x401e;

class InputNoise : public BatchTransform {
public:
    // stddev in [0, 1] (throws Error otherwise); 0 or a task other than reconstruction = off.
    InputNoise(TargetKind kind, double stddev, uint64_t seed);
    InputNoise(double stddev, uint64_t seed)
        : InputNoise(TargetKind::Reconstruction, stddev, seed) {}

    std::string name() const override { return kInputNoiseName; }
    Rng* generator() override { return &m_rng; }
    bool active() const { return m_stddev > 0.0f; }
    // Adds N(0, stddev²) to every value, in order (no change when off).
    void transform(Tensor& x) override;
    // The batch the network sees: x itself when off, else a noisy copy (x is never changed).
    const Tensor& apply(const Tensor& x);

private:
    float m_stddev = 0.0f;
    Rng m_rng;
    Tensor m_noisy;
};

}  // namespace netloom::engine
