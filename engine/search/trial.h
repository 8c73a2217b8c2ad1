#pragma once
// One trial of a search: the values it tried (in the order of the space's dimensions), the
// metric after each epoch, and how it ended.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/layers/params.h"

namespace netloom::engine {

enum class TrialState { Finished, Pruned, Failed };

struct Trial {
    int64_t number = 0;  // 0-based, in the order trials ran
    std::vector<ParamValue> values;
    std::vector<double> curve;  // the search metric after epoch 1, 2, ...
    TrialState state = TrialState::Finished;
    double seconds = 0;  // wall time of the trial (data loading aside)
    // Processor time of the process during the trial: on a shared machine a steadier measure of
    // the work a trial cost than wall time (one compute thread: the trial's own).
    double cpuSeconds = 0;
    std::string message;  // failed: why; pruned: at which epoch and against what

    // The trial's result: the metric of its last epoch (NaN when it has none).
    double value() const { return curve.empty() ? std::nan("") : curve.back(); }
    bool operator==(const Trial&) const = default;
};

std::string trialStateName(TrialState s);  // "finished", "pruned", "failed"
// Throws Error for an unknown name.
TrialState trialStateFromName(const std::string& name);

// Whether a is better than b in the search's direction (NaN is never better).
inline bool betterValue(double a, double b, bool maximize) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return maximize ? a > b : a < b;
}

// The best finished trial; nullptr when none finished.
const Trial* bestTrial(const std::vector<Trial>& trials, bool maximize);

}  // namespace netloom::engine
