#pragma once
// Optimizers update Parameter::value from Parameter::grad in one vectorized pass per tensor.
// Update rules follow PyTorch's documentation (SGD momentum/dampening/Nesterov, Adam, AdamW,
// RMSprop) so users coming from PyTorch get what they expect.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/layers/layer.h"

namespace netloom::engine {

struct OptimizerConfig {
    std::string type = "adam";  // sgd | adam | adamw | rmsprop
    double lr = 1e-3;
    double momentum = 0.0;  // sgd, rmsprop
    double dampening = 0.0;  // sgd
    bool nesterov = false;   // sgd
    double beta1 = 0.9, beta2 = 0.999;  // adam, adamw
    double eps = 1e-8;
    double alpha = 0.99;        // rmsprop smoothing
    double weightDecay = 0.0;   // coupled (added to grad) except adamw (decoupled)
    double l1 = 0.0, l2 = 0.0;  // regularization added to the loss gradient of decay params
    double clipNorm = 0.0;      // clip the global gradient norm to this when > 0

    // Chainable setters, named as PyTorch users expect.
    OptimizerConfig& withLr(double v) { lr = v; return *this; }
    OptimizerConfig& withMomentum(double v) { momentum = v; return *this; }
    OptimizerConfig& withNesterov(bool v) { nesterov = v; return *this; }
    OptimizerConfig& withBetas(double b1, double b2) { beta1 = b1; beta2 = b2; return *this; }
    OptimizerConfig& withWeightDecay(double v) { weightDecay = v; return *this; }
    OptimizerConfig& withType(std::string v) { type = std::move(v); return *this; }
    OptimizerConfig& withDampening(double v) { dampening = v; return *this; }
    OptimizerConfig& withEps(double v) { eps = v; return *this; }
    OptimizerConfig& withAlpha(double v) { alpha = v; return *this; }
    OptimizerConfig& withL1(double v) { l1 = v; return *this; }
    OptimizerConfig& withL2(double v) { l2 = v; return *this; }
    OptimizerConfig& withClipNorm(double v) { clipNorm = v; return *this; }
    bool operator==(const OptimizerConfig&) const = default;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Applies L1/L2, clipping, then the update. Parameters must be the same list every step.
    // Frozen parameters are skipped; state is kept per position in the list and allocated on
    // the first step that updates that position.
    virtual void step(const std::vector<Parameter*>& params) = 0;
    // For schedules: lr >= 0 and finite (a schedule may reach 0), else throws Error.
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

const std::vector<std::string>& optimizerTypes();  // {"sgd","adam","adamw","rmsprop"}
// Throws Error naming the first invalid setting ("optimizer: learning rate must be > 0 ...").
void validateOptimizerConfig(const OptimizerConfig& config);
std::unique_ptr<Optimizer> createOptimizer(const OptimizerConfig& config);  // throws Error

// Shared pre-step: adds L1/L2 terms to the gradients of decay params, then clips the global
// norm. Returns the global gradient norm before clipping.
double regularizeAndClip(const std::vector<Parameter*>& params, const OptimizerConfig& config);


}  // namespace netloom::engine
