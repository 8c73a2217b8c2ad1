#pragma once
// The median pruner (Optuna's MedianPruner): after epoch k a trial stops when its best metric so
// far is worse than the median of the finished trials' metric at epoch k, once `startupTrials`
// trials have finished and the trial has run more than `warmupEpochs` epochs. Hopeless trials
// thus give their time back to the search; the trial counts as "pruned".
#include <optional>
#include <string>
#include <vector>

#include "engine/search/search_space.h"
#include "engine/search/trial.h"

namespace netloom::engine {

class MedianPruner {
public:
    MedianPruner(PrunerConfig config, bool maximize) : m_config(config), m_maximize(maximize) {}
    // Why a trial whose metric after epochs 1..k is `curve` should stop now, or nothing.
    std::optional<std::string> shouldPrune(const std::vector<double>& curve,
                                           const std::vector<Trial>& trials) const;

private:
    PrunerConfig m_config;
    bool m_maximize;
};

// The median of the finished trials' metric at epoch k (1-based); NaN when none reached it.
double medianAtEpoch(const std::vector<Trial>& trials, size_t epoch);

}  // namespace netloom::engine
