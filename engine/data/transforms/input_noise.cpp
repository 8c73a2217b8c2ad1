#include "engine/data/transforms/input_noise.h"

#include <cstring>
#include <random>
#include <string>

#include "engine/core/error.h"

namespace netloom::engine {

InputNoise::InputNoise(TargetKind kind, double stddev, uint64_t seed) : m_rng(seed) {
    if (!(stddev >= 0.0 && stddev <= 1.0))
        throw Error(
            "input noise must be between 0 and 1 (a standard deviation in units of the "
            "scaled input), got " +
            std::to_string(stddev));
    if (kind == TargetKind::Reconstruction) m_stddev = static_cast<float>(stddev);
}

void InputNoise::transform(Tensor& x) {
    if (!active()) return;
    std::normal_distribution<float> dist(0.0f, m_stddev);
    float* v = x.data();
    for (int64_t i = 0, n = x.size(); i < n; ++i) v[i] += dist(m_rng.generator());
}

const Tensor& InputNoise::apply(const Tensor& x) {
    if (!active()) return x;
    m_noisy.resize(x.dims());
    std::memcpy(m_noisy.data(), x.data(), static_cast<size_t>(x.size()) * sizeof(float));
    transform(m_noisy);
    return m_noisy;
}

}  // namespace netloom::engine
