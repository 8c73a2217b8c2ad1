#pragma once
// Transfer learning's per-layer settings, which every layer accepts beside its own parameters
// and keeps in its node's Params (so copy/paste, undo and the project file carry them like any
// parameter): "frozen" (bool, default false: training leaves the layer's parameters as they
// are, with no optimizer step and no optimizer state) and "lr_multiplier" (number in [0, 1000],
// default 1: the layer learns at the run's rate times this; 0 acts as frozen).
// normalizeParams() checks them and leaves them out of its result, so a layer never sees them;
// Model reads them from the node.
#include <string>

#include "engine/layers/params.h"

namespace netloom::engine {

inline constexpr const char* kFrozenKey = "frozen";
inline constexpr const char* kLrMultiplierKey = "lr_multiplier";

// The two settings as specs (labels, ranges and help for the inspector and messages).
const ParamSchema& trainingParamSchema();
bool isTrainingParamKey(const std::string& key);

// Read from a node's (raw) params; the defaults when absent.
bool isFrozen(const Params& params);
double lrMultiplierOf(const Params& params);
// Whether the optimizer skips the layer: frozen, or a multiplier of 0.
bool skipsTraining(const Params& params);

// `params` with the setting changed; the default value removes the key, so files and
// clipboards of networks without transfer learning stay as they were.
Params withFrozen(const Params& params, bool frozen);
Params withLrMultiplier(const Params& params, double multiplier);

// Why a multiplier is refused ("must be between 0 and 1000, got -1"), or empty.
std::string lrMultiplierProblem(double multiplier);

}  // namespace netloom::engine
