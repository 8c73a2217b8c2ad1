#include "engine/data/transforms/registry.h"

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/transforms/input_noise.h"

namespace netloom::engine {

namespace {

std::unique_ptr<BatchTransform> makeInputNoise(const std::map<std::string, double>& p,
                                               uint64_t seed) {
    return std::make_unique<InputNoise>(p.at("stddev"), seed);
}

std::string number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

const std::vector<TransformDef>& transformDefs() {
    static const std::vector<TransformDef> defs = {
        {kInputNoiseName,
         "input noise",
         "Gaussian noise on the input (denoising autoencoder); the target stays clean",
         {{"stddev", 0.0, 0.0, 1.0, "standard deviation in units of the scaled input"}},
         kInputNoiseSalt,
         &makeInputNoise},
    };
    return defs;
}

const TransformDef* findTransform(const std::string& name) {
    for (const TransformDef& d : transformDefs())
        if (d.name == name) return &d;
    return nullptr;
}

std::unique_ptr<BatchTransform> createTransform(const TransformSpec& spec, uint64_t runSeed) {
    const TransformDef* def = findTransform(spec.name);
    if (!def) {
        std::string known;
        for (const TransformDef& d : transformDefs()) known += (known.empty() ? "" : ", ") + d.name;
        throw Error("unknown batch transform '" + spec.name + "': choose " + known);
    }
    std::map<std::string, double> values;
    for (const TransformParamDef& p : def->params) values[p.name] = p.defaultValue;
    for (const auto& [name, value] : spec.params) {
        const TransformParamDef* param = nullptr;
        for (const TransformParamDef& p : def->params)
            if (p.name == name) param = &p;
        if (!param) throw Error(def->label + " has no parameter '" + name + "'");
        if (!(value >= param->min && value <= param->max))
            throw Error(def->label + ": " + name + " must be between " + number(param->min) +
                        " and " + number(param->max) + ", got " + number(value));
        values[name] = value;
    }
    return def->create(values, Rng::mix(runSeed ^ def->seedSalt));
}

TransformChain::TransformChain(const std::vector<TransformSpec>& specs, uint64_t runSeed) {
    for (const TransformSpec& s : specs) add(createTransform(s, runSeed));
}

}  // namespace netloom::engine
