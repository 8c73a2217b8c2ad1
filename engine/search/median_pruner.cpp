#include "engine/search/median_pruner.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace netloom::engine {

double medianAtEpoch(const std::vector<Trial>& trials, size_t epoch) {
    std::vector<double> at;
    for (const Trial& t : trials)
        if (t.state == TrialState::Finished && t.curve.size() >= epoch &&
            !std::isnan(t.curve[epoch - 1]))
            at.push_back(t.curve[epoch - 1]);
    if (at.empty()) return std::nan("");
    std::sort(at.begin(), at.end());
    const size_t n = at.size();
    return n % 2 ? at[n / 2] : 0.5 * (at[n / 2 - 1] + at[n / 2]);
}

std::optional<std::string> MedianPruner::shouldPrune(const std::vector<double>& curve,
                                                     const std::vector<Trial>& trials) const {
    if (m_config.type != "median" || curve.empty()) return std::nullopt;
    const size_t epoch = curve.size();
    if (static_cast<int64_t>(epoch) <= m_config.warmupEpochs) return std::nullopt;
    const auto finished = std::count_if(trials.begin(), trials.end(), [](const Trial& t) {
        return t.state == TrialState::Finished;
    });
    if (finished < m_config.startupTrials || finished == 0) return std::nullopt;
    const double median = medianAtEpoch(trials, epoch);
    if (std::isnan(median)) return std::nullopt;
    double best = std::nan("");
    for (double v : curve)
        if (betterValue(v, best, m_maximize)) best = v;
    // A NaN metric is worse than any median.
    if (!std::isnan(best) && !betterValue(median, best, m_maximize)) return std::nullopt;
    std::ostringstream why;
    why << "pruned after epoch " << epoch << ": best so far " << best
        << " is worse than the median " << median << " of " << finished << " finished trials";
    return why.str();
}

}  // namespace netloom::engine
