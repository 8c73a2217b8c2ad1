#include "engine/search/parzen_estimator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace netloom::engine {
namespace {

constexpr double kPriorWeight = 1.0;

double normalCdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// Mixture weights: the observations' weights then the prior's, normalised.
std::vector<double> mixtureWeights(size_t observations) {
    std::vector<double> w = tpeObservationWeights(observations);
    w.push_back(kPriorWeight);
    const double sum = std::accumulate(w.begin(), w.end(), 0.0);
    for (double& x : w) x /= sum;
    return w;
}

}  // namespace

std::vector<double> tpeObservationWeights(size_t n) {
    if (n < 25) return std::vector<double>(n, 1.0);
    std::vector<double> w;
    const size_t ramp = n - 25;
    for (size_t i = 0; i < ramp; ++i)  // numpy.linspace(1/n, 1, num=ramp)
        w.push_back(ramp == 1 ? 1.0 / static_cast<double>(n)
                              : 1.0 / static_cast<double>(n) +
                                    (1.0 - 1.0 / static_cast<double>(n)) * static_cast<double>(i) /
                                        static_cast<double>(ramp - 1));
    w.resize(n, 1.0);
    return w;
}

NumericParzen::NumericParzen(const std::vector<double>& obs, double low, double high)
    : m_low(low), m_high(high) {
    const double range = high - low;
    m_mu = obs;
    m_mu.push_back(0.5 * (low + high));  // the prior, last
    const size_t n = m_mu.size();
    // σ of each observation: the larger gap to its neighbours in sorted order, the range's
    // ends counting as neighbours except for the outermost kernels (Optuna 3.1,
    // consider_endpoints=False).
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return m_mu[a] < m_mu[b]; });
    std::vector<double> sorted{low};
    for (size_t i : order) sorted.push_back(m_mu[i]);
    sorted.push_back(high);
    std::vector<double> sigmaSorted(n);
    for (size_t i = 0; i < n; ++i)
        sigmaSorted[i] = std::max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
    if (n >= 2) {
        sigmaSorted[0] = sorted[2] - sorted[1];
        sigmaSorted[n - 1] = sorted[n] - sorted[n - 1];
    }
    m_sigma.assign(n, 0.0);
    for (size_t i = 0; i < n; ++i) m_sigma[order[i]] = sigmaSorted[i];
    m_sigma[n - 1] = range;  // the prior's
    const double minSigma = range / std::min(100.0, 1.0 + static_cast<double>(n));
    for (double& s : m_sigma) s = std::clamp(s, minSigma, range);
    m_weight = mixtureWeights(obs.size());
}

double NumericParzen::sample(Rng& rng) const {
    std::discrete_distribution<size_t> pick(m_weight.begin(), m_weight.end());
    const size_t k = pick(rng.generator());
    std::normal_distribution<double> normal(m_mu[k], m_sigma[k]);
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const double x = normal(rng.generator());
        if (x >= m_low && x <= m_high) return x;
    }
    return std::clamp(m_mu[k], m_low, m_high);  // unreachable in practice: σ ≤ range
}

double NumericParzen::logPdf(double x) const {
    double p = 0;
    for (size_t k = 0; k < m_mu.size(); ++k) {
        const double mass =
            normalCdf((m_high - m_mu[k]) / m_sigma[k]) - normalCdf((m_low - m_mu[k]) / m_sigma[k]);
        const double z = (x - m_mu[k]) / m_sigma[k];
        p += m_weight[k] * std::exp(-0.5 * z * z) / (m_sigma[k] * std::sqrt(2 * M_PI)) /
             std::max(mass, 1e-300);
    }
    return std::log(std::max(p, 1e-300));
}

double NumericParzen::logBinProbability(double from, double to) const {
    from = std::max(from, m_low), to = std::min(to, m_high);
    double p = 0;
    for (size_t k = 0; k < m_mu.size(); ++k) {
        const double mass =
            normalCdf((m_high - m_mu[k]) / m_sigma[k]) - normalCdf((m_low - m_mu[k]) / m_sigma[k]);
        const double in =
            normalCdf((to - m_mu[k]) / m_sigma[k]) - normalCdf((from - m_mu[k]) / m_sigma[k]);
        p += m_weight[k] * in / std::max(mass, 1e-300);
    }
    return std::log(std::max(p, 1e-300));
}

CategoricalParzen::CategoricalParzen(const std::vector<int>& obs, int choices)
    : m_p(static_cast<size_t>(choices), 0.0) {
    const std::vector<double> w = mixtureWeights(obs.size());
    const double kernels = static_cast<double>(obs.size() + 1);
    // Kernel k (an observation, or the prior last): prior_weight / kernels on every choice, plus
    // 1 on its observed choice, normalised.
    for (size_t k = 0; k < w.size(); ++k) {
        std::vector<double> row(m_p.size(), kPriorWeight / kernels);
        if (k < obs.size()) row[static_cast<size_t>(obs[k])] += 1.0;
        const double sum = std::accumulate(row.begin(), row.end(), 0.0);
        for (size_t c = 0; c < row.size(); ++c) m_p[c] += w[k] * row[c] / sum;
    }
}

int CategoricalParzen::sample(Rng& rng) const {
    std::discrete_distribution<int> pick(m_p.begin(), m_p.end());
    return pick(rng.generator());
}

double CategoricalParzen::logPdf(int choice) const {
    return std::log(std::max(m_p[static_cast<size_t>(choice)], 1e-300));
}

}  // namespace netloom::engine
