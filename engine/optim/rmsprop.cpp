// RMSprop as torch.optim.RMSprop (centered off):
//   g ← g + wd·w,  v ← α·v + (1−α)·g²,  a = sqrt(v) + ε
//   with momentum: b ← μ·b + g/a, w ← w − lr·b;  without: w ← w − lr·g/a
#include <cmath>

#include "engine/optim/optimizer_impl.h"

namespace netloom::engine::optimimpl {
namespace {

class RmsProp final : public OptimizerBase {
public:
    explicit RmsProp(const OptimizerConfig& c)
        : OptimizerBase(c, c.momentum > 0
                               ? std::vector<std::string>{"square_avg", "momentum_buffer"}
                               : std::vector<std::string>{"square_avg"}) {}

protected:
    void update(Parameter& p, ParamState& st) override {
        const int64_t n = p.value.size();
        float* w = p.value.data();
        const float* g = p.grad.data();
        float* v = st.buffers[0].data();
        const float lr = static_cast<float>(m_config.lr);
        const float wd = decayFor(p);
        const float alpha = static_cast<float>(m_config.alpha);
        const float eps = static_cast<float>(m_config.eps);
        const float mu = static_cast<float>(m_config.momentum);

        if (mu > 0.0f) {
            float* b = st.buffers[1].data();  // starts at zero, unlike SGD's
            forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
                for (int64_t i = begin; i < end; ++i) {
                    const float gi = g[i] + wd * w[i];
                    v[i] = alpha * v[i] + (1.0f - alpha) * gi * gi;
                    b[i] = mu * b[i] + gi / (std::sqrt(v[i]) + eps);
                    w[i] -= lr * b[i];
                }
            });
        } else {
            forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
                for (int64_t i = begin; i < end; ++i) {
                    const float gi = g[i] + wd * w[i];
                    v[i] = alpha * v[i] + (1.0f - alpha) * gi * gi;
                    w[i] -= lr * gi / (std::sqrt(v[i]) + eps);
                }
            });
        }
    }
};

}  // namespace

namespace {

class RmspropDef final : public OptimizerDef {
public:
    std::string id() const override { return "rmsprop"; }
    std::string displayName() const override { return "RMSprop"; }
    std::string description() const override {
        return "Divides each gradient by a running root mean square of its recent values, "
               "with optional momentum (torch.optim.RMSprop, not centered).";
    }
    std::vector<std::string> uses() const override {
        return {"momentum", "alpha", "eps", "weight_decay"};
    }
    std::unique_ptr<Optimizer> create(const OptimizerConfig& c) const override {
        return std::make_unique<RmsProp>(c);
    }
};

}  // namespace

const OptimizerDef& rmspropOptimizerDef() {
    static const RmspropDef def;
    return def;
}

}  // namespace netloom::engine::optimimpl
