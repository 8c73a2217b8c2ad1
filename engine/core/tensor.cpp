#include "engine/core/tensor.h"

#include <algorithm>

#include "engine/core/error.h"

namespace netloom::engine {

void Tensor::resize(std::vector<int64_t> dims) {
    int64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0) throw Error("tensor dimension is negative");
        n *= d;
    }
    m_dims = std::move(dims);
    m_size = n;
    if (static_cast<int64_t>(m_data.size()) < n) m_data.resize(static_cast<size_t>(n));
}

void Tensor::resize(int64_t batch, const Shape& sample) {
    std::vector<int64_t> d;
    d.reserve(sample.dims.size() + 1);
    d.push_back(batch);
    d.insert(d.end(), sample.dims.begin(), sample.dims.end());
    resize(std::move(d));
}

void Tensor::zero() { fill(0.0f); }

void Tensor::fill(float v) { std::fill(m_data.begin(), m_data.begin() + m_size, v); }

Shape Tensor::sampleShape() const {
    if (m_dims.empty()) return Shape{};
    return Shape(std::vector<int64_t>(m_dims.begin() + 1, m_dims.end()));
}

}  // namespace netloom::engine
