#pragma once
// A dense float tensor in plain row-major layout; dims[0] is the batch when it holds a batch.
// Buffers are sized once and reused: resize() only reallocates when the element count grows.
#include <cstdint>
#include <vector>

#include "engine/core/shape.h"

namespace netloom::engine {

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(std::vector<int64_t> dims) { resize(std::move(dims)); }
    Tensor(int64_t batch, const Shape& sample) { resize(batch, sample); }

    void resize(std::vector<int64_t> dims);
    void resize(int64_t batch, const Shape& sample);
    void zero();
    void fill(float v);

    const std::vector<int64_t>& dims() const { return m_dims; }
    int64_t dim(int i) const { return m_dims[static_cast<size_t>(i)]; }
    int rank() const { return static_cast<int>(m_dims.size()); }
    int64_t size() const { return m_size; }
    int64_t batch() const { return m_dims.empty() ? 0 : m_dims[0]; }
    Shape sampleShape() const;  // dims without the batch axis

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float& operator[](int64_t i) { return m_data[static_cast<size_t>(i)]; }
    float operator[](int64_t i) const { return m_data[static_cast<size_t>(i)]; }
    std::vector<float>& storage() { return m_data; }
    const std::vector<float>& storage() const { return m_data; }

private:
    std::vector<int64_t> m_dims;
    int64_t m_size = 0;
    std::vector<float> m_data;
};

}  // namespace netloom::engine
