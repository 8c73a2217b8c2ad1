#include "engine/search/trial.h"

#include "engine/core/error.h"

namespace netloom::engine {

std::string trialStateName(TrialState s) {
    switch (s) {
        case TrialState::Finished:
            return "finished";
        case TrialState::Pruned:
            return "pruned";
        case TrialState::Failed:
            return "failed";
    }
    return "failed";
}

TrialState trialStateFromName(const std::string& name) {
    if (name == "finished") return TrialState::Finished;
    if (name == "pruned") return TrialState::Pruned;
    if (name == "failed") return TrialState::Failed;
    throw Error("unknown trial state '" + name + "' (finished, pruned or failed)");
}

const Trial* bestTrial(const std::vector<Trial>& trials, bool maximize) {
    const Trial* best = nullptr;
    for (const Trial& t : trials)
        if (t.state == TrialState::Finished &&
            (!best || betterValue(t.value(), best->value(), maximize)))
            best = &t;
    return best;
}

}  // namespace netloom::engine
