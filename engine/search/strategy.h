#pragma once
// A search strategy proposes the next trial's values from the space and the trials so far.
// Each strategy is one file in strategies/ defining a StrategyDef, listed once in
// strategies/registry.cpp (grid, random, tpe).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/rng.h"
#include "engine/search/search_space.h"
#include "engine/search/trial.h"

namespace netloom::engine {

class SearchStrategy {
public:
    virtual ~SearchStrategy() = default;
    // The next values (one per dimension), or nothing when the strategy has nothing left to
    // try (a grid that is exhausted). `rng` is seeded from the search seed and the trial number,
    // so a continued search proposes what an uninterrupted one would have.
    virtual std::optional<std::vector<ParamValue>> suggest(const SearchSpace& space,
                                                           const std::vector<Trial>& trials,
                                                           Rng& rng) = 0;
};

struct StrategyDef {
    std::string id;           // "tpe"
    std::string description;  // one line for --help
    std::function<std::unique_ptr<SearchStrategy>()> make;
};

const std::vector<const StrategyDef*>& allStrategies();
const StrategyDef* findStrategy(const std::string& id);
std::string strategyIds();  // "grid, random, tpe"

// Shared by strategies: one uniform draw of a dimension (log-uniform on a log range, whole
// numbers for an int range, a choice for a categorical one).
ParamValue sampleUniform(const SearchDimension& d, Rng& rng);
// How many combinations the grid strategy walks for this space (strategies/grid.cpp).
size_t gridSize(const SearchSpace& space);

}  // namespace netloom::engine
