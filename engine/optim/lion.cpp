// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as their Algorithm 1
// and lucidrains/lion-pytorch:
//   c = β1·m + (1−β1)·g;  w ← w − lr·(sign(c) + wd·w);  m ← β2·m + (1−β2)·g
// The update has the same size for every weight, so Lion wants a learning rate 3–10× smaller
// than Adam's (the paper's default: lr 1e-4, β1 0.9, β2 0.99, weight decay 0) and a
// weight decay 3–10× larger. One state buffer per parameter ("exp_avg"), half of Adam's.
#include "engine/optim/optimizer_impl.h"

namespace netloom::engine::optimimpl {
namespace {

class Lion final : public OptimizerBase {
public:
    explicit Lion(const OptimizerConfig& c) : OptimizerBase(c, {"exp_avg"}) {}

protected:
    void update(Parameter& p, ParamState& st) override {
        const int64_t n = p.value.size();
        float* w = p.value.data();
        const float* g = p.grad.data();
        float* m = st.buffers[0].data();
        const float lr = static_cast<float>(m_config.lr);
        const float shrink = 1.0f - lr * decayFor(p);
        const float b1 = static_cast<float>(m_config.beta1);
        const float b2 = static_cast<float>(m_config.beta2);
        forEachChunk(n, [=](int64_t begin, int64_t end) {
#pragma omp simd
            for (int64_t i = begin; i < end; ++i) {
                const float c = b1 * m[i] + (1.0f - b1) * g[i];
                const float sign = static_cast<float>((c > 0.0f) - (c < 0.0f));
                w[i] = w[i] * shrink - lr * sign;
                m[i] = b2 * m[i] + (1.0f - b2) * g[i];
            }
        });
    }
};

class LionDef final : public OptimizerDef {
public:
    std::string id() const override { return "lion"; }
    std::string displayName() const override { return "Lion"; }
    std::string description() const override {
        return "Sign of an interpolated momentum (Chen et al. 2023): a learning rate 3–10× "
               "smaller than Adam's (1e-4) and β₂ 0.99 are its usual settings.";
    }
    std::vector<std::string> uses() const override { return {"beta1", "beta2", "weight_decay"}; }
    std::unique_ptr<Optimizer> create(const OptimizerConfig& c) const override {
        return std::make_unique<Lion>(c);
    }
};

}  // namespace

const OptimizerDef& lionOptimizerDef() {
    static const LionDef def;
    return def;
}

}  // namespace netloom::engine::optimimpl
