#include "engine/search/strategy.h"

#include <random>

#include "engine/search/numeric_scale.h"

namespace netloom::engine {

ParamValue sampleUniform(const SearchDimension& d, Rng& rng) {
    if (d.kind == SearchDimension::Kind::Categorical) {
        std::uniform_int_distribution<size_t> pick(0, d.choices.size() - 1);
        return d.choices[pick(rng.generator())];
    }
    const NumericScale s{&d};
    std::uniform_real_distribution<double> u(s.low(), s.high());
    return s.valueAt(u(rng.generator()));
}

}  // namespace netloom::engine
