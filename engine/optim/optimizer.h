#pragma once
// Optimizers update Parameter::value from Parameter::grad in one vectorized pass per tensor.
// Update rules follow PyTorch's documentation (SGD momentum/dampening/Nesterov, Adam, AdamW,
// RMSprop) so users coming from PyTorch get what they expect.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <functional>
#include <map>

#include "engine/layers/layer.h"
#include "engine/optim/setting_spec.h"

namespace netloom::engine {

// The settings every optimizer shares are fields; an optimizer's own hyperparameters live in
// `extra` under the keys its OptimizerDef declares, so adding one needs no edit here.
struct OptimizerConfig {
    std::string type = "adam";  // an OptimizerDef id: sgd | adam | adamw | rmsprop | lion
    double lr = 1e-3;
    double momentum = 0.0;              // sgd, rmsprop
    double dampening = 0.0;             // sgd
    bool nesterov = false;              // sgd
    double beta1 = 0.9, beta2 = 0.999;  // adam, adamw
    double eps = 1e-8;
    double alpha = 0.99;        // rmsprop smoothing
    double weightDecay = 0.0;   // coupled (added to grad) except adamw (decoupled)
    double l1 = 0.0, l2 = 0.0;  // regularization added to the loss gradient of decay params
    double clipNorm = 0.0;      // clip the global gradient norm to this when > 0
    std::map<std::string, ParamValue> extra;  // OptimizerDef::ownSettings() values by key

    // Chainable setters, named as PyTorch users expect.
    OptimizerConfig& withLr(double v) {
        lr = v;
        return *this;
    }
    OptimizerConfig& withMomentum(double v) {
        momentum = v;
        return *this;
    }
    OptimizerConfig& withNesterov(bool v) {
        nesterov = v;
        return *this;
    }
    OptimizerConfig& withBetas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return *this;
    }
    OptimizerConfig& withWeightDecay(double v) {
        weightDecay = v;
        return *this;
    }
    OptimizerConfig& withType(std::string v) {
        type = std::move(v);
        return *this;
    }
    OptimizerConfig& withDampening(double v) {
        dampening = v;
        return *this;
    }
    OptimizerConfig& withEps(double v) {
        eps = v;
        return *this;
    }
    OptimizerConfig& withAlpha(double v) {
        alpha = v;
        return *this;
    }
    OptimizerConfig& withL1(double v) {
        l1 = v;
        return *this;
    }
    OptimizerConfig& withL2(double v) {
        l2 = v;
        return *this;
    }
    OptimizerConfig& withClipNorm(double v) {
        clipNorm = v;
        return *this;
    }
    OptimizerConfig& with(const std::string& key, ParamValue v) {
        extra[key] = std::move(v);
        return *this;
    }
    // An own hyperparameter as a number; `fallback` (the declared default) when not set.
    double number(const std::string& key, double fallback) const;
    bool operator==(const OptimizerConfig&) const = default;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Applies L1/L2, clipping, then the update. Parameters must be the same list every step.
    // Frozen parameters are skipped; state is kept per position in the list and allocated on
    // the first step that updates that position.
    virtual void step(const std::vector<Parameter*>& params) = 0;
    // Mid-run changes and schedules: lr within learningRateSpec() (> 0), else throws Error.
    virtual void setLearningRate(double lr) = 0;
    virtual double learningRate() const { return 0.0; }

    // The optimizer's state for checkpoints, named like PyTorch's state_dict: "0.step",
    // "0.exp_avg", "0.exp_avg_sq", "1.momentum_buffer", ... (the number is the position in
    // params). Allocates missing state (zeros, step 0) so a loader can fill it before the first
    // step. The pointers stay valid until the next call with a different parameter list.
    virtual std::vector<std::pair<std::string, Tensor*>> state(
        const std::vector<Parameter*>& params) {
        return {};
    }
};

// One optimizer kind. Each lives in one file of this folder (sgd.cpp, adam.cpp, lion.cpp, ...)
// and is listed once in optim/registry.cpp; the settings schema, the project file, the CLI, the
// settings widget and the docs all read this list.
class OptimizerDef {
public:
    virtual ~OptimizerDef() = default;
    virtual std::string id() const = 0;           // stable id in project files: "adamw"
    virtual std::string displayName() const = 0;  // "AdamW"
    virtual std::string description() const = 0;  // one or two sentences: tooltip, docs
    // Shared settings (OptimizerSetting keys) it reads besides those every optimizer reads
    // (type, lr, l1, l2, clip_norm): {"momentum", "weight_decay"}.
    virtual std::vector<std::string> uses() const = 0;
    // Hyperparameters of its own, kept in OptimizerConfig::extra under their keys.
    virtual std::vector<SettingSpec> ownSettings() const { return {}; }
    // A rule across settings that ranges cannot express: empty when fine, else the reason
    // ("nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0").
    virtual std::string crossCheck(const OptimizerConfig& config) const { return {}; }
    // `config` is valid (validateOptimizerConfig) when this is called.
    virtual std::unique_ptr<Optimizer> create(const OptimizerConfig& config) const = 0;
};

// Every optimizer, in the order menus list them.
const std::vector<const OptimizerDef*>& allOptimizers();
const OptimizerDef* findOptimizer(const std::string& id);  // nullptr when unknown
const std::vector<std::string>& optimizerTypes();          // the ids of allOptimizers()

// One optimizer setting: its spec (key as in the project file's "optimizer" object) and how to
// read and write it on an OptimizerConfig. The shared fields come first, then each optimizer's
// own settings (owner = its id).
struct OptimizerSetting {
    SettingSpec spec;
    std::string owner;  // empty: a shared field
    std::function<ParamValue(const OptimizerConfig&)> get;
    std::function<void(OptimizerConfig&, const ParamValue&)> set;  // value already coerced
    // Whether an optimizer of this type reads the setting (the widget hides the others and
    // validation skips them).
    bool usedBy(const std::string& type) const;
};
const std::vector<OptimizerSetting>& optimizerSettings();
// The learning rate's spec (> 0, no upper bound): the settings, the CLI and a mid-run change
// (Optimizer::setLearningRate, the training panel's box) all use this one range.
const SettingSpec& learningRateSpec();

// Throws Error naming the first invalid setting as `where`.key: "optimizer.lr must be > 0 and
// at most 10, got 0". Only the settings the type uses are checked.
void validateOptimizerConfig(const OptimizerConfig& config, const std::string& where = "optimizer");
std::unique_ptr<Optimizer> createOptimizer(const OptimizerConfig& config);  // throws Error

// Shared pre-step: adds L1/L2 terms to the gradients of decay params, then clips the global
// norm. Returns the global gradient norm before clipping.
double regularizeAndClip(const std::vector<Parameter*>& params, const OptimizerConfig& config);

}  // namespace netloom::engine
