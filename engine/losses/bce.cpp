// Binary cross-entropy on probabilities (PyTorch's BCELoss, mean over all values), for networks
// that end in a Sigmoid such as image autoencoders. Like PyTorch, each log is clamped at -100 so
// a saturated output gives a large finite loss, and the gradient (p - y) / max(p(1-p), 1e-12)
// stays finite. The logs are vmath::logf so the loop vectorizes (log(1-p) loses log1p's
// precision only for p below 1e-7, where the term is below 1e-7).
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/core/vec_math.h"
#include "engine/losses/loss_impl.h"

namespace netloom::engine::lossimpl {
namespace {

class BceLoss final : public Loss {
public:
    float compute(const Tensor& output, const Tensor& target, Tensor& grad) override {
        checkSameCount("bce", output, target);
        const int64_t count = output.size();
        const float* p = output.data();
        const float* y = target.data();

        int64_t bad = 0;  // NaN counts as bad too
#pragma omp simd reduction(+ : bad)
        for (int64_t i = 0; i < count; ++i) bad += !(p[i] >= 0.0f && p[i] <= 1.0f);
        if (bad > 0) {
            int64_t i = 0;
            while (p[i] >= 0.0f && p[i] <= 1.0f) ++i;
            throw Error("bce: output value " + std::to_string(i) + " is " + valueText(p[i]) +
                        ", but binary cross-entropy needs probabilities in [0, 1]: end the "
                        "network with a Sigmoid, or use bce_logits on raw outputs");
        }
        prepareGrad(output, grad);
        float* g = grad.data();
        const float inv = 1.0f / static_cast<float>(count);
        float total = 0.0f;  // a float reduction vectorizes (one partial sum per lane)
#pragma omp simd reduction(+ : total)
        for (int64_t i = 0; i < count; ++i) {
            // atLeast, not std::fmax: fmaxf's NaN rules make GCC call libm, one value at a time.
            const float logP = vmath::atLeast(vmath::logf(p[i]), -100.0f);
            const float log1mP = vmath::atLeast(vmath::logf(1.0f - p[i]), -100.0f);
            total += -(y[i] * logP + (1.0f - y[i]) * log1mP);
            g[i] = (p[i] - y[i]) / vmath::atLeast((1.0f - p[i]) * p[i], 1e-12f) * inv;
        }
        return static_cast<float>(total / static_cast<double>(count));
    }
};

}  // namespace

std::unique_ptr<Loss> makeBce() {
    return std::make_unique<BceLoss>();
}

}  // namespace netloom::engine::lossimpl
