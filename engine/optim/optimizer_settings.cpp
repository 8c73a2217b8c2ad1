// The settings every optimizer shares, each declared once with its range (the project file's
// "optimizer" object, the settings widget, the CLI and the docs read this list), followed by the
// settings each registered optimizer declares for itself (kept in OptimizerConfig::extra).
#include <algorithm>

#include "engine/optim/optimizer_impl.h"

namespace netloom::engine {
namespace {

constexpr double kNoMax = std::numeric_limits<double>::infinity();
using Get = std::function<ParamValue(const OptimizerConfig&)>;
using Set = std::function<void(OptimizerConfig&, const ParamValue&)>;

OptimizerSetting realField(SettingSpec spec, double OptimizerConfig::*member) {
    return {std::move(spec),
            {},
            [member](const OptimizerConfig& c) -> ParamValue { return c.*member; },
            [member](OptimizerConfig& c, const ParamValue& v) { c.*member = std::get<double>(v); }};
}

std::vector<OptimizerSetting> buildSettings() {
    std::vector<std::string> ids, names;
    for (const OptimizerDef* d : allOptimizers()) {
        ids.push_back(d->id());
        names.push_back(d->displayName());
    }
    std::vector<OptimizerSetting> list;
    list.push_back(
        {SettingSpec::choice("type", "Optimizer", ids, names, "adam",
                             "How the weights follow their gradients"),
         {},
         [](const OptimizerConfig& c) -> ParamValue { return c.type; },
         [](OptimizerConfig& c, const ParamValue& v) { c.type = std::get<std::string>(v); }});
    list.push_back(realField(learningRateSpec(), &OptimizerConfig::lr));
    list.push_back(realField(SettingSpec::real("momentum", "Momentum", 0.0, 0, 1,
                                               "Fraction of the previous update kept (0 = off)")
                                 .openMax()
                                 .withStep(0.05),
                             &OptimizerConfig::momentum));
    list.push_back(realField(SettingSpec::real("dampening", "Dampening", 0.0, 0, 1,
                                               "Fraction of the gradient left out of the "
                                               "momentum buffer")
                                 .withStep(0.05),
                             &OptimizerConfig::dampening));
    list.push_back(
        {SettingSpec::boolean("nesterov", "Nesterov", false,
                              "Nesterov momentum (needs momentum > 0, dampening 0)"),
         {},
         [](const OptimizerConfig& c) -> ParamValue { return c.nesterov; },
         [](OptimizerConfig& c, const ParamValue& v) { c.nesterov = std::get<bool>(v); }});
    list.push_back(realField(
        SettingSpec::real("beta1", "β₁", 0.9, 0, 1, "Decay of the running mean of the gradient")
            .openMax()
            .withStep(0.01),
        &OptimizerConfig::beta1));
    list.push_back(realField(SettingSpec::real("beta2", "β₂", 0.999, 0, 1,
                                               "Decay of the running mean of the squared "
                                               "gradient (Lion: of the momentum)")
                                 .openMax()
                                 .withStep(0.001),
                             &OptimizerConfig::beta2));
    list.push_back(realField(
        SettingSpec::real("eps", "Epsilon", 1e-8, 0, 1, "Added to the denominator for stability")
            .openMin()
            .logarithmic(),
        &OptimizerConfig::eps));
    list.push_back(realField(SettingSpec::real("alpha", "Alpha", 0.99, 0, 1,
                                               "Decay of the running mean of the squared "
                                               "gradient")
                                 .openMax()
                                 .withStep(0.01),
                             &OptimizerConfig::alpha));
    list.push_back(realField(SettingSpec::real("weight_decay", "Weight decay", 0.0, 0, kNoMax,
                                               "Pulls weights towards 0 each step (AdamW, Lion: "
                                               "decoupled from the gradient)")
                                 .withStep(1e-4),
                             &OptimizerConfig::weightDecay));
    list.push_back(realField(
        SettingSpec::real("l1", "L1", 0.0, 0, kNoMax, "L1 penalty added to the loss of weights")
            .withStep(1e-5),
        &OptimizerConfig::l1));
    list.push_back(realField(
        SettingSpec::real("l2", "L2", 0.0, 0, kNoMax, "L2 penalty added to the loss of weights")
            .withStep(1e-5),
        &OptimizerConfig::l2));
    list.push_back(realField(SettingSpec::real("clip_norm", "Clip gradient norm", 0.0, 0, kNoMax,
                                               "Scale gradients down to this global norm")
                                 .zero("off")
                                 .withStep(0.5),
                             &OptimizerConfig::clipNorm));
    // Each optimizer's own hyperparameters, stored by key.
    for (const OptimizerDef* d : allOptimizers())
        for (SettingSpec spec : d->ownSettings()) {
            const std::string key = spec.key;
            const ParamValue def = spec.defaultValue;
            list.push_back({std::move(spec), d->id(),
                            [key, def](const OptimizerConfig& c) -> ParamValue {
                                auto it = c.extra.find(key);
                                return it == c.extra.end() ? def : it->second;
                            },
                            [key](OptimizerConfig& c, const ParamValue& v) { c.extra[key] = v; }});
        }
    return list;
}

}  // namespace

const SettingSpec& learningRateSpec() {
    static const SettingSpec spec = SettingSpec::real("lr", "Learning rate", 1e-3, 0, kNoMax,
                                                      "Step size of each update; must be > 0")
                                        .openMin()
                                        .logarithmic();
    return spec;
}

bool OptimizerSetting::usedBy(const std::string& type) const {
    if (!owner.empty()) return owner == type;
    static const char* const everyOptimizer[] = {"type", "lr", "l1", "l2", "clip_norm"};
    for (const char* k : everyOptimizer)
        if (spec.key == k) return true;
    const OptimizerDef* def = findOptimizer(type);
    if (!def) return false;
    const std::vector<std::string> uses = def->uses();
    return std::find(uses.begin(), uses.end(), spec.key) != uses.end();
}

const std::vector<OptimizerSetting>& optimizerSettings() {
    static const std::vector<OptimizerSetting> list = buildSettings();
    return list;
}

}  // namespace netloom::engine
