#pragma once
// An exponential moving average of a model's parameters (Polyak/EMA averaging, as GANs use for
// the generator: the average of the last few thousand steps makes cleaner samples than the
// weights of any one step, while training itself is unchanged). The decay warms up as
// min(decay, (1 + t) / (10 + t)) after t updates, so short runs are not dominated by the
// initial weights. States (BatchNorm running statistics) are not averaged.
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/layers/layer.h"

namespace netloom::engine {

class ParameterAverage {
public:
    // decay in [0, 1); the average starts as the parameters' current values.
    ParameterAverage(const std::vector<Parameter*>& params, double decay);

    // After each optimizer step: average ← d·average + (1 − d)·value.
    void update();
    // Runs f with the averaged values in the parameters, then puts the trained values back.
    void withAverage(const std::function<void()>& f);
    int64_t updates() const { return m_updates; }

private:
    std::vector<Parameter*> m_params;
    std::vector<Tensor> m_average, m_scratch;
    double m_decay;
    int64_t m_updates = 0;
};

}  // namespace netloom::engine
