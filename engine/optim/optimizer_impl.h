#pragma once
// Internal to engine/optim: the shared driver of every optimizer (checks, L1/L2 and clipping,
// lazily allocated per-position state) and the defs registry.cpp lists.
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/optim/optimizer.h"

namespace netloom::engine::optimimpl {

// Runs body(begin, end) over [0, n), split across the OpenMP team when n is large enough to
// pay for waking it. Element-wise updates give the same result for any split.
template <class Body>
void forEachChunk(int64_t n, const Body& body) {
    constexpr int64_t kMinPerThread = 16384;
    const int64_t threads = std::min<int64_t>(omp_get_max_threads(), n / kMinPerThread);
    if (threads <= 1) {
        body(int64_t{0}, n);
        return;
    }
#pragma omp parallel num_threads(static_cast <int>(threads))
    {
        const int64_t t = omp_get_thread_num(), count = omp_get_num_threads();
        const int64_t chunk = ((n + count - 1) / count + 15) / 16 * 16;  // whole cache lines
        const int64_t begin = std::min(n, t * chunk);
        body(begin, std::min(n, begin + chunk));
    }
}

// State of one position in the parameter list, allocated on its first update.
struct ParamState {
    int64_t size = -1;            // element count it was allocated for; -1 = not yet
    Tensor step;                  // {1}: updates applied so far (float, like PyTorch's "step")
    std::vector<Tensor> buffers;  // zero-initialised, one per OptimizerBase buffer name
};

class OptimizerBase : public Optimizer {
public:
    OptimizerBase(const OptimizerConfig& config, std::vector<std::string> bufferNames);

    // Checks the list, runs regularizeAndClip, then update() on every non-frozen parameter.
    void step(const std::vector<Parameter*>& params) final;
    void setLearningRate(double lr) override;
    double learningRate() const override { return m_config.lr; }
    std::vector<std::pair<std::string, Tensor*>> state(
        const std::vector<Parameter*>& params) override;
    // lr_multipliers.h: multipliers[i] scales the rate of position i (missing positions: 1).
    void setLrMultipliers(std::vector<double> multipliers);

protected:
    // One fused pass over p. st.step already counts this update (1 on the first one).
    virtual void update(Parameter& p, ParamState& st) = 0;
    // The weight decay that applies to p (0 for parameters with decay == false).
    float decayFor(const Parameter& p) const {
        return p.decay ? static_cast<float>(m_config.weightDecay) : 0.0f;
    }

    OptimizerConfig m_config;

private:
    void checkParams(const std::vector<Parameter*>& params);
    ParamState& stateFor(size_t index, const Parameter& p);

    std::vector<std::string> m_bufferNames;
    std::vector<double> m_lrMultipliers;                // per position; empty = all 1
    std::vector<std::unique_ptr<ParamState>> m_states;  // stable addresses for state()
    bool m_listKnown = false;
};

// Adam's update, shared by adam.cpp and adamw.cpp (which differ in how weight decay applies).
std::unique_ptr<Optimizer> makeAdam(const OptimizerConfig& config, bool decoupledDecay);

// Each optimizer file defines `const OptimizerDef& <id>OptimizerDef()` in this namespace;
// registry.cpp declares and lists them.

}  // namespace netloom::engine::optimimpl
