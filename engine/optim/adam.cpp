// Adam as torch.optim.Adam (amsgrad off); its update serves AdamW too (adamw.cpp):
//   Adam:  g ← g + wd·w                      AdamW: w ← w − lr·wd·w
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
//   w ← w − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε)
// The bias corrections are computed once per step and tensor, outside the element loop.
// (GCC vectorizes the sqrt in this loop only under -fno-math-errno; otherwise it stays scalar.)
#include <cmath>

#include "engine/optim/optimizer_impl.h"

namespace netloom::engine::optimimpl {
namespace {

class Adam final : public OptimizerBase {
public:
    Adam(const OptimizerConfig& c, bool decoupled)
        : OptimizerBase(c, {"exp_avg", "exp_avg_sq"}), m_decoupled(decoupled) {}

protected:
    void update(Parameter& p, ParamState& st) override {
        const int64_t n = p.value.size();
        float* w = p.value.data();
        const float* g = p.grad.data();
        float* m = st.buffers[0].data();
        float* v = st.buffers[1].data();

        const double t = st.step[0];
        const double lr = m_config.lr;
        const double wd = p.decay ? m_config.weightDecay : 0.0;
        const float b1 = static_cast<float>(m_config.beta1);
        const float b2 = static_cast<float>(m_config.beta2);
        const float stepSize = static_cast<float>(lr / (1.0 - std::pow(m_config.beta1, t)));
        const float bc2Sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(m_config.beta2, t)));
        const float eps = static_cast<float>(m_config.eps);
        const float coupled = m_decoupled ? 0.0f : static_cast<float>(wd);
        const float shrink = m_decoupled ? static_cast<float>(1.0 - lr * wd) : 1.0f;

        forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
            for (int64_t i = begin; i < end; ++i) {
                const float gi = g[i] + coupled * w[i];
                m[i] += (1.0f - b1) * (gi - m[i]);  // PyTorch's lerp form
                v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
                w[i] = w[i] * shrink - stepSize * m[i] / (std::sqrt(v[i]) / bc2Sqrt + eps);
            }
        });
    }

private:
    bool m_decoupled;
};

}  // namespace

std::unique_ptr<Optimizer> makeAdam(const OptimizerConfig& config, bool decoupledDecay) {
    return std::make_unique<Adam>(config, decoupledDecay);
}

namespace {

class AdamDef final : public OptimizerDef {
public:
    std::string id() const override { return "adam"; }
    std::string displayName() const override { return "Adam"; }
    std::string description() const override {
        return "Adaptive moment estimation; weight decay is added to the gradient "
               "(torch.optim.Adam).";
    }
    std::vector<std::string> uses() const override {
        return {"beta1", "beta2", "eps", "weight_decay"};
    }
    std::unique_ptr<Optimizer> create(const OptimizerConfig& c) const override {
        return makeAdam(c, false);
    }
};

}  // namespace

const OptimizerDef& adamOptimizerDef() {
    static const AdamDef def;
    return def;
}

}  // namespace netloom::engine::optimimpl
