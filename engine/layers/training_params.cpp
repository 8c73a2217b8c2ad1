#include "engine/layers/training_params.h"

#include <cmath>

namespace netloom::engine {

const ParamSchema& trainingParamSchema() {
    static const ParamSchema schema{
        ParamSpec::boolean(kFrozenKey, "Frozen", false,
                           "Training leaves this layer's parameters as they are: no gradient "
                           "step and no optimizer state (pre-trained layers)."),
        ParamSpec::real(kLrMultiplierKey, "LR multiplier", 1.0, 0.0, 1000.0,
                        "This layer learns at the run's learning rate times this (1 = the run's "
                        "rate, 0.1 = gently fine-tune pre-trained weights, 0 = frozen)."),
    };
    return schema;
}

bool isTrainingParamKey(const std::string& key) {
    return key == kFrozenKey || key == kLrMultiplierKey;
}

bool isFrozen(const Params& params) {
    if (!params.has(kFrozenKey)) return false;
    const ParamValue& v = params.values().at(kFrozenKey);
    auto b = std::get_if<bool>(&v);
    return b && *b;
}

double lrMultiplierOf(const Params& params) {
    if (!params.has(kLrMultiplierKey)) return 1.0;
    const ParamValue& v = params.values().at(kLrMultiplierKey);
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    return std::nan("");  // a wrong type: normalizeParams refuses it before anything trains
}

bool skipsTraining(const Params& params) {
    return isFrozen(params) || lrMultiplierOf(params) == 0.0;
}

namespace {
Params withValue(const Params& params, const std::string& key, const ParamValue* value) {
    Params out;
    for (const auto& [k, v] : params.values())
        if (k != key) out.set(k, v);
    if (value) out.set(key, *value);
    return out;
}
}  // namespace

Params withFrozen(const Params& params, bool frozen) {
    const ParamValue v = true;
    return withValue(params, kFrozenKey, frozen ? &v : nullptr);
}

Params withLrMultiplier(const Params& params, double multiplier) {
    const ParamValue v = multiplier;
    return withValue(params, kLrMultiplierKey, multiplier == 1.0 ? nullptr : &v);
}

std::string lrMultiplierProblem(double multiplier) {
    const ParamSpec& spec = trainingParamSchema()[1];
    return checkParamValue(spec, ParamValue{multiplier});
}

}  // namespace netloom::engine
