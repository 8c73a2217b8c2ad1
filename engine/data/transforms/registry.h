#pragma once
// The one list of batch transforms. Adding one = a file in this folder + a line in registry.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/data/transforms/transform.h"

namespace netloom::engine {

struct TransformParamDef {
    std::string name;
    double defaultValue = 0, min = 0, max = 1;
    std::string help;
};

struct TransformDef {
    std::string name;         // stable id: "input_noise"
    std::string label;        // for messages: "input noise"
    std::string description;  // one line for docs and tooltips
    std::vector<TransformParamDef> params;
    // Salt of the transform's generator: its seed is Rng::mix(runSeed ^ seedSalt).
    uint64_t seedSalt = 0;
    // Builds it from validated parameters (every declared one present).
    std::unique_ptr<BatchTransform> (*create)(const std::map<std::string, double>& params,
                                              uint64_t seed) = nullptr;
};

const std::vector<TransformDef>& transformDefs();
const TransformDef* findTransform(const std::string& name);

// Validates spec against its def (fills defaults) and creates it. Throws Error on an unknown
// transform, an unknown parameter or a value outside the declared range.
std::unique_ptr<BatchTransform> createTransform(const TransformSpec& spec, uint64_t runSeed);

}  // namespace netloom::engine
