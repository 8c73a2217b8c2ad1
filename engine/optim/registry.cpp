// The one list of optimizers. Adding one = a file defining optimimpl::<id>OptimizerDef() (see
// lion.cpp) + its line in NETLOOM_OPTIMIZERS; the settings schema, the project file, the CLI,
// the settings widget and the docs read allOptimizers().
#include "engine/core/error.h"
#include "engine/optim/optimizer_impl.h"

// In menu order.
#define NETLOOM_OPTIMIZERS(X) \
    X(sgd)                    \
    X(adam)                   \
    X(adamw)                  \
    X(rmsprop)                \
    X(lion)

namespace netloom::engine {

namespace optimimpl {
#define NETLOOM_DECLARE_OPTIMIZER(id) const OptimizerDef& id##OptimizerDef();
NETLOOM_OPTIMIZERS(NETLOOM_DECLARE_OPTIMIZER)
#undef NETLOOM_DECLARE_OPTIMIZER
}  // namespace optimimpl

const std::vector<const OptimizerDef*>& allOptimizers() {
#define NETLOOM_LIST_OPTIMIZER(id) &optimimpl::id##OptimizerDef(),
    static const std::vector<const OptimizerDef*> list = {
        NETLOOM_OPTIMIZERS(NETLOOM_LIST_OPTIMIZER)};
#undef NETLOOM_LIST_OPTIMIZER
    return list;
}

const OptimizerDef* findOptimizer(const std::string& id) {
    for (const OptimizerDef* d : allOptimizers())
        if (d->id() == id) return d;
    return nullptr;
}

const std::vector<std::string>& optimizerTypes() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> out;
        for (const OptimizerDef* d : allOptimizers()) out.push_back(d->id());
        return out;
    }();
    return ids;
}

void validateOptimizerConfig(const OptimizerConfig& c, const std::string& where) {
    const OptimizerDef* def = findOptimizer(c.type);
    if (!def) {
        std::string valid;
        for (const std::string& t : optimizerTypes()) valid += (valid.empty() ? "" : ", ") + t;
        throw Error(where + ".type: unknown optimizer '" + c.type + "'; valid types: " + valid);
    }
    for (const OptimizerSetting& s : optimizerSettings()) {
        if (!s.usedBy(c.type)) continue;
        const std::string problem = checkSetting(s.spec, s.get(c));
        if (!problem.empty()) throw Error(where + "." + s.spec.key + " " + problem);
    }
    const std::string cross = def->crossCheck(c);
    if (!cross.empty()) throw Error(where + "." + cross);
}

std::unique_ptr<Optimizer> createOptimizer(const OptimizerConfig& config) {
    validateOptimizerConfig(config);
    return findOptimizer(config.type)->create(config);
}

}  // namespace netloom::engine
