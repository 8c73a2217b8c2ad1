// Random search (Bergstra & Bengio 2012): every dimension drawn uniformly (log-uniformly on a
// log range) and independently, whatever came before.
#include "engine/search/strategy.h"

namespace netloom::engine {
namespace {

class RandomStrategy final : public SearchStrategy {
public:
    std::optional<std::vector<ParamValue>> suggest(const SearchSpace& space,
                                                   const std::vector<Trial>&, Rng& rng) override {
        std::vector<ParamValue> values;
        for (const SearchDimension& d : space.dimensions) values.push_back(sampleUniform(d, rng));
        return values;
    }
};

}  // namespace

const StrategyDef& randomStrategy() {
    static const StrategyDef def{"random", "independent uniform draws (log-uniform on log ranges)",
                                 [] { return std::make_unique<RandomStrategy>(); }};
    return def;
}

}  // namespace netloom::engine
