#include "engine/train/parameter_average.h"

#include <algorithm>

#include "engine/core/error.h"

namespace netloom::engine {

ParameterAverage::ParameterAverage(const std::vector<Parameter*>& params, double decay)
    : m_params(params), m_decay(decay) {
    if (!(decay >= 0.0 && decay < 1.0))
        throw Error("the generator average's decay must be at least 0 and below 1 (0 = off)");
    m_average.resize(params.size());
    m_scratch.resize(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
        const Tensor& v = params[i]->value;
        m_average[i].resize(v.dims());
        std::copy(v.data(), v.data() + v.size(), m_average[i].data());
    }
}

void ParameterAverage::update() {
    ++m_updates;
    const double t = static_cast<double>(m_updates);
    const float d = static_cast<float>(std::min(m_decay, (1.0 + t) / (10.0 + t)));
    const float keep = 1.0f - d;
    for (size_t i = 0; i < m_params.size(); ++i) {
        float* a = m_average[i].data();
        const float* v = m_params[i]->value.data();
        const int64_t n = m_average[i].size();
#pragma omp parallel for simd schedule(static) if (n > 65536)
        for (int64_t k = 0; k < n; ++k) a[k] = d * a[k] + keep * v[k];
    }
}

void ParameterAverage::withAverage(const std::function<void()>& f) {
    // Copies, not pointer swaps: oneDNN primitives hold the parameters' buffers.
    auto copy = [](const Tensor& from, Tensor& to) {
        std::copy(from.data(), from.data() + from.size(), to.data());
    };
    for (size_t i = 0; i < m_params.size(); ++i) {
        m_scratch[i].resize(m_params[i]->value.dims());
        copy(m_params[i]->value, m_scratch[i]);
        copy(m_average[i], m_params[i]->value);
    }
    struct Restore {
        ParameterAverage* self;
        ~Restore() {
            for (size_t i = 0; i < self->m_params.size(); ++i)
                std::copy(self->m_scratch[i].data(),
                          self->m_scratch[i].data() + self->m_scratch[i].size(),
                          self->m_params[i]->value.data());
        }
    } restore{this};
    f();
}

}  // namespace netloom::engine
