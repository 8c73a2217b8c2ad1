// Binary cross-entropy on logits (PyTorch's BCEWithLogitsLoss, mean over all values), in the
// stable form max(x,0) - x*y + log1p(exp(-|x|)); d/dx = (sigmoid(x) - y) / count.
// Only exp(-|x|) is evaluated, which never overflows.
#include <algorithm>
#include <cmath>

#include "engine/losses/loss_impl.h"

namespace netloom::engine::lossimpl {
namespace {

class BceWithLogitsLoss final : public Loss {
public:
    float compute(const Tensor& output, const Tensor& target, Tensor& grad) override {
        checkSameCount("bce_logits", output, target);
        prepareGrad(output, grad);
        const int64_t count = output.size();
        const float* x = output.data();
        const float* y = target.data();
        float* g = grad.data();
        const float inv = 1.0f / static_cast<float>(count);
        double total = 0.0;
#pragma omp simd reduction(+ : total)
        for (int64_t i = 0; i < count; ++i) {
            const float e = std::exp(-std::fabs(x[i]));  // in (0, 1]
            const float sig = x[i] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
            total += std::max(x[i], 0.0f) - x[i] * y[i] + std::log1p(e);
            g[i] = (sig - y[i]) * inv;
        }
        return static_cast<float>(total / static_cast<double>(count));
    }
};

}  // namespace

std::unique_ptr<Loss> makeBceWithLogits() {
    return std::make_unique<BceWithLogitsLoss>();
}

}  // namespace netloom::engine::lossimpl
