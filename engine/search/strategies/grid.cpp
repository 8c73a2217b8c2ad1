// Grid search: every combination of `grid_points` values per numeric dimension (evenly spaced,
// on a log scale for log ranges; ints rounded and repeated values dropped) and every choice of
// a categorical one, in order, the first dimension varying slowest. A continued search skips
// the combinations already tried; when all were tried the grid is exhausted.
#include <algorithm>

#include "engine/search/numeric_scale.h"
#include "engine/search/strategy.h"

namespace netloom::engine {
namespace {

std::vector<ParamValue> axisValues(const SearchDimension& d, int64_t points) {
    if (d.kind == SearchDimension::Kind::Categorical) return d.choices;
    const NumericScale s{&d};
    const double a = s.toInternal(d.low), b = s.toInternal(d.high);
    std::vector<ParamValue> out;
    for (int64_t i = 0; i < points; ++i) {
        const double u = a + (b - a) * static_cast<double>(i) / static_cast<double>(points - 1);
        ParamValue v = i == points - 1 ? s.valueAt(b) : s.valueAt(u);
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    return out;
}

class GridStrategy final : public SearchStrategy {
public:
    std::optional<std::vector<ParamValue>> suggest(const SearchSpace& space,
                                                   const std::vector<Trial>& trials,
                                                   Rng&) override {
        std::vector<std::vector<ParamValue>> axes;
        size_t total = 1;
        for (const SearchDimension& d : space.dimensions) {
            axes.push_back(axisValues(d, std::max<int64_t>(space.gridPoints, 2)));
            total *= axes.back().size();
        }
        for (size_t k = 0; k < total; ++k) {
            std::vector<ParamValue> combo(axes.size());
            size_t rest = k;
            for (size_t i = axes.size(); i-- > 0;) {
                combo[i] = axes[i][rest % axes[i].size()];
                rest /= axes[i].size();
            }
            const bool tried = std::any_of(trials.begin(), trials.end(),
                                           [&](const Trial& t) { return t.values == combo; });
            if (!tried) return combo;
        }
        return std::nullopt;
    }
};

}  // namespace

// How many combinations a grid over this space has (for messages and the table).
size_t gridSize(const SearchSpace& space) {
    size_t total = 1;
    for (const SearchDimension& d : space.dimensions)
        total *= axisValues(d, std::max<int64_t>(space.gridPoints, 2)).size();
    return total;
}

const StrategyDef& gridStrategy() {
    static const StrategyDef def{"grid",
                                 "every combination of grid_points values per range and every "
                                 "choice, in order",
                                 [] { return std::make_unique<GridStrategy>(); }};
    return def;
}

}  // namespace netloom::engine
