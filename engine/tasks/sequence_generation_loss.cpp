#include "engine/tasks/sequence_generation_loss.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"

namespace netloom::engine {

TokenLoss stepCrossEntropy(const Tensor& logits, const Tensor& targets, int64_t vocabulary,
                           int32_t padToken, Tensor* grad) {
    const int64_t rows = targets.size();  // N·T steps
    if (vocabulary < 1 || logits.size() != rows * vocabulary)
        throw Error("sequence loss: the network gives " + std::to_string(logits.size()) +
                    " values for " + std::to_string(rows) + " steps, but a vocabulary of " +
                    std::to_string(vocabulary) + " needs " + std::to_string(rows * vocabulary));
    const int64_t steps = targets.rank() > 1 ? targets.size() / targets.batch() : rows;
    for (int64_t r = 0; r < rows; ++r) {
        const float y = targets[r];
        if (!(y >= 0.0f && y < static_cast<float>(vocabulary)) || y != std::floor(y))
            throw Error("sequence loss: sample " + std::to_string(r / steps) + ", step " +
                        std::to_string(r % steps) + " has target " + std::to_string(y) +
                        ", not a token id in [0, " + std::to_string(vocabulary) + ")");
    }
    TokenLoss out;
    for (int64_t r = 0; r < rows; ++r) out.tokens += static_cast<int32_t>(targets[r]) != padToken;
    if (grad) {
        grad->resize(logits.dims());
        grad->zero();
    }
    if (out.tokens == 0) return out;
    const float invCount = 1.0f / static_cast<float>(out.tokens);
    for (int64_t r = 0; r < rows; ++r) {
        const auto y = static_cast<int32_t>(targets[r]);
        if (y == padToken) continue;
        const float* x = logits.data() + r * vocabulary;
        float mx = x[0];
        for (int64_t j = 1; j < vocabulary; ++j) mx = std::max(mx, x[j]);
        double sumExp = 0;
        for (int64_t j = 0; j < vocabulary; ++j) sumExp += std::exp(static_cast<double>(x[j] - mx));
        out.sum += std::log(sumExp) - static_cast<double>(x[y] - mx);
        if (!grad) continue;
        float* g = grad->data() + r * vocabulary;
        const double scale = invCount / sumExp;
        for (int64_t j = 0; j < vocabulary; ++j)
            g[j] = static_cast<float>(std::exp(static_cast<double>(x[j] - mx)) * scale);
        g[y] -= invCount;
    }
    return out;
}

}  // namespace netloom::engine
