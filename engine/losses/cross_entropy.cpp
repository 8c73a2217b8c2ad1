// Softmax cross-entropy fused on {N, C} logits (PyTorch's CrossEntropyLoss, mean reduction):
// loss_i = logsumexp(x_i - max) - (x_iy - max); d/dx = (softmax(x_i) - onehot(y_i)) / N.
// Subtracting the row maximum keeps exp() finite for any logit magnitude.
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/losses/loss_impl.h"

namespace netloom::engine::lossimpl {
namespace {

class CrossEntropyLoss final : public Loss {
public:
    float compute(const Tensor& output, const Tensor& target, Tensor& grad) override {
        if (output.rank() < 2 || output.size() == 0)
            throw Error("cross_entropy: expects logits {samples, classes}, got " +
                        dimsText(output) + "; the network output needs one value per class");
        const int64_t n = output.dim(0);
        const int64_t c = output.size() / n;
        if (target.size() != n)
            throw Error("cross_entropy: expects one class index per sample: the output " +
                        dimsText(output) + " has " + std::to_string(n) +
                        " samples but the target " + dimsText(target) + " has " +
                        std::to_string(target.size()) + " values");
        // Validate every label before touching grad, so a bad batch leaves nothing half done.
        for (int64_t i = 0; i < n; ++i) {
            const float y = target[i];
            if (!(y >= 0.0f && y < static_cast<float>(c)) || y != std::floor(y))
                throw Error("cross_entropy: sample " + std::to_string(i) + " has label " +
                            valueText(y) + ", but class indices must be whole numbers in [0, " +
                            std::to_string(c) + ")");
        }
        prepareGrad(output, grad);

        const float invN = 1.0f / static_cast<float>(n);
        double total = 0.0;
        for (int64_t i = 0; i < n; ++i) {
            const float* x = output.data() + i * c;
            float* g = grad.data() + i * c;
            const int64_t y = static_cast<int64_t>(target[i]);

            float mx = x[0];
#pragma omp simd reduction(max : mx)
            for (int64_t j = 0; j < c; ++j) mx = std::max(mx, x[j]);
            float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
            for (int64_t j = 0; j < c; ++j) {
                g[j] = std::exp(x[j] - mx);
                sum += g[j];
            }
            total += std::log(static_cast<double>(sum)) - static_cast<double>(x[y] - mx);
            const float scale = invN / sum;
#pragma omp simd
            for (int64_t j = 0; j < c; ++j) g[j] *= scale;
            g[y] -= invN;
        }
        return static_cast<float>(total / static_cast<double>(n));
    }
};

}  // namespace

std::unique_ptr<Loss> makeCrossEntropy() {
    return std::make_unique<CrossEntropyLoss>();
}

}  // namespace netloom::engine::lossimpl
