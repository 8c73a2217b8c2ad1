#include "engine/core/row_math.h"

#include <algorithm>
#include <cmath>

namespace netloom::engine {

void softmaxRows(Tensor& t) {
    const int64_t n = t.batch(), c = n ? t.size() / n : 0;
    for (int64_t i = 0; i < n; ++i) {
        float* row = t.data() + i * c;
        const float mx = *std::max_element(row, row + c);
        double sum = 0;
        for (int64_t k = 0; k < c; ++k) sum += row[k] = std::exp(row[k] - mx);
        for (int64_t k = 0; k < c; ++k) row[k] = static_cast<float>(row[k] / sum);
    }
}

int64_t argmaxRow(const Tensor& t, int64_t row) {
    const int64_t c = t.batch() > 0 ? t.size() / t.batch() : 0;
    const float* p = t.data() + row * c;
    return std::max_element(p, p + c) - p;
}

}  // namespace netloom::engine
