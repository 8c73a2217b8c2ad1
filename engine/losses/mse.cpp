// Mean squared error over all values (PyTorch's MSELoss): d/dx = 2 (x - y) / count.
#include "engine/losses/loss_impl.h"

namespace netloom::engine::lossimpl {
namespace {

class MseLoss final : public Loss {
public:
    float compute(const Tensor& output, const Tensor& target, Tensor& grad) override {
        checkSameCount("mse", output, target);
        prepareGrad(output, grad);
        const int64_t count = output.size();
        const float* x = output.data();
        const float* y = target.data();
        float* g = grad.data();
        const float scale = 2.0f / static_cast<float>(count);
        double total = 0.0;
#pragma omp simd reduction(+ : total)
        for (int64_t i = 0; i < count; ++i) {
            const float d = x[i] - y[i];
            total += d * d;
            g[i] = scale * d;
        }
        return static_cast<float>(total / static_cast<double>(count));
    }
};

}  // namespace

std::unique_ptr<Loss> makeMse() {
    return std::make_unique<MseLoss>();
}

}  // namespace netloom::engine::lossimpl
