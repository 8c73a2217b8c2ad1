// SGD as torch.optim.SGD: d = g + wd·w; with momentum, b = d on the first step and
// b = μ·b + (1 − dampening)·d afterwards; Nesterov uses d + μ·b instead of b; w −= lr·(that).
#include "engine/optim/optimizer_impl.h"

namespace netloom::engine::optimimpl {
namespace {

class Sgd final : public OptimizerBase {
public:
    explicit Sgd(const OptimizerConfig& c)
        : OptimizerBase(c, c.momentum > 0 ? std::vector<std::string>{"momentum_buffer"}
                                          : std::vector<std::string>{}) {}

protected:
    void update(Parameter& p, ParamState& st) override {
        const int64_t n = p.value.size();
        float* w = p.value.data();
        const float* g = p.grad.data();
        const float lr = static_cast<float>(m_config.lr);
        const float wd = decayFor(p);
        const float mu = static_cast<float>(m_config.momentum);

        if (mu == 0.0f) {
            forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
                for (int64_t i = begin; i < end; ++i) w[i] -= lr * (g[i] + wd * w[i]);
            });
            return;
        }
        // First step: the buffer starts as the gradient itself (no dampening), as in PyTorch.
        const bool first = st.step[0] <= 1.0f;
        const float keep = first ? 0.0f : mu;
        const float take = first ? 1.0f : 1.0f - static_cast<float>(m_config.dampening);
        if (m_config.nesterov)
            momentumPass<true>(n, w, g, st.buffers[0].data(), lr, wd, mu, keep, take);
        else
            momentumPass<false>(n, w, g, st.buffers[0].data(), lr, wd, mu, keep, take);
    }

private:
    template <bool Nesterov>
    static void momentumPass(int64_t n, float* w, const float* g, float* b, float lr, float wd,
                             float mu, float keep, float take) {
        forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
            for (int64_t i = begin; i < end; ++i) {
                const float d = g[i] + wd * w[i];
                b[i] = keep * b[i] + take * d;
                w[i] -= lr * (Nesterov ? d + mu * b[i] : b[i]);
            }
        });
    }
};

}  // namespace

namespace {

class SgdDef final : public OptimizerDef {
public:
    std::string id() const override { return "sgd"; }
    std::string displayName() const override { return "SGD"; }
    std::string description() const override {
        return "Stochastic gradient descent with optional momentum, dampening and Nesterov "
               "momentum (torch.optim.SGD).";
    }
    std::vector<std::string> uses() const override {
        return {"momentum", "dampening", "nesterov", "weight_decay"};
    }
    std::string crossCheck(const OptimizerConfig& c) const override {
        if (c.nesterov && (c.momentum <= 0 || c.dampening != 0))
            return "nesterov needs momentum > 0 and dampening 0, got momentum " +
                   settingValueText(c.momentum) + " and dampening " + settingValueText(c.dampening);
        return {};
    }
    std::unique_ptr<Optimizer> create(const OptimizerConfig& c) const override {
        return std::make_unique<Sgd>(c);
    }
};

}  // namespace

const OptimizerDef& sgdOptimizerDef() {
    static const SgdDef def;
    return def;
}

}  // namespace netloom::engine::optimimpl
