#pragma once
// The Parzen estimators of TPE (Bergstra et al. 2011), one dimension at a time, with Optuna
// 3.1's rules: a prior kernel (the middle of the range, σ = the range, weight 1) beside one
// kernel per observation; numeric kernels are normals truncated to the range whose σ is the
// larger distance to a neighbouring observation, clipped to [range / min(100, 1 + kernels),
// range] ("magic clip"); categorical kernels put weight 1 on the observed choice plus the
// prior's share on every choice. Observation weights: flat below 25, else older observations
// ramp down linearly (Optuna's default_weights).
#include <vector>

#include "engine/core/rng.h"

namespace netloom::engine {

// Optuna's default_weights(n): n ones when n < 25, else a ramp from 1/n to 1 for the oldest
// n − 25 observations followed by 25 ones. Observations are in trial order.
std::vector<double> tpeObservationWeights(size_t n);

// A mixture of normals truncated to [low, high], in internal coordinates (numeric_scale.h).
class NumericParzen {
public:
    NumericParzen(const std::vector<double>& observations, double low, double high);
    double sample(Rng& rng) const;
    double logPdf(double x) const;  // log density at x
    // log probability of [from, to] clipped to the range (ints: a whole number's bin).
    double logBinProbability(double from, double to) const;

private:
    double m_low, m_high;
    std::vector<double> m_mu, m_sigma, m_weight;
};

// A mixture of categorical distributions over n choices.
class CategoricalParzen {
public:
    CategoricalParzen(const std::vector<int>& observations, int choices);
    int sample(Rng& rng) const;
    double logPdf(int choice) const;

private:
    std::vector<double> m_p;  // the mixture's probability of each choice
};

}  // namespace netloom::engine
