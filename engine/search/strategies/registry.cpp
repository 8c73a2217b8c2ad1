// The search strategies: one file each, one line here.
#include "engine/search/strategy.h"

namespace netloom::engine {

const StrategyDef& gridStrategy();    // grid.cpp
const StrategyDef& randomStrategy();  // random.cpp
const StrategyDef& tpeStrategy();     // tpe.cpp

const std::vector<const StrategyDef*>& allStrategies() {
    static const std::vector<const StrategyDef*> all = {
        &gridStrategy(),
        &randomStrategy(),
        &tpeStrategy(),
    };
    return all;
}

const StrategyDef* findStrategy(const std::string& id) {
    for (const StrategyDef* s : allStrategies())
        if (s->id == id) return s;
    return nullptr;
}

std::string strategyIds() {
    std::string out;
    for (const StrategyDef* s : allStrategies()) out += (out.empty() ? "" : ", ") + s->id;
    return out;
}

}  // namespace netloom::engine
