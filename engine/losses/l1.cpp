// Mean absolute error over all values (PyTorch's L1Loss): d/dx = sign(x - y) / count, with
// sign(0) = 0 as in PyTorch.
#include <cmath>

#include "engine/losses/loss_impl.h"

namespace netloom::engine::lossimpl {
namespace {

class L1Loss final : public Loss {
public:
    float compute(const Tensor& output, const Tensor& target, Tensor& grad) override {
        checkSameCount("l1", output, target);
        prepareGrad(output, grad);
        const int64_t count = output.size();
        const float* x = output.data();
        const float* y = target.data();
        float* g = grad.data();
        const float inv = 1.0f / static_cast<float>(count);
        double total = 0.0;
#pragma omp simd reduction(+ : total)
        for (int64_t i = 0; i < count; ++i) {
            const float d = x[i] - y[i];
            total += std::fabs(d);
            g[i] = static_cast<float>((d > 0.0f) - (d < 0.0f)) * inv;
        }
        return static_cast<float>(total / static_cast<double>(count));
    }
};

}  // namespace

std::unique_ptr<Loss> makeL1() {
    return std::make_unique<L1Loss>();
}

}  // namespace netloom::engine::lossimpl
