#pragma once
// Optimizers update Parameter::value from Parameter::grad in one vectorized pass per tensor.
// Update rules follow PyTorch's documentation (SGD momentum/dampening/Nesterov, Adam, AdamW,
// RMSprop) so users coming from PyTorch get what they expect.
#include <memory>
#include <string>
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
    bool operator==(const OptimizerConfig&) const = default;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Applies L1/L2, clipping, then the update. Parameters must be the same list every step.
    virtual void step(const std::vector<Parameter*>& params) = 0;
    virtual void setLearningRate(double lr) = 0;
};

const std::vector<std::string>& optimizerTypes();  // {"sgd","adam","adamw","rmsprop"}
std::unique_ptr<Optimizer> createOptimizer(const OptimizerConfig& config);  // throws Error

// Shared pre-step: adds L1/L2 terms to the gradients of decay params, then clips the global
// norm. Returns the global gradient norm before clipping.
double regularizeAndClip(const std::vector<Parameter*>& params, const OptimizerConfig& config);

// Initializes a tensor for a layer with the given fan-in/fan-out.
void initWeights(Tensor& w, int64_t fanIn, int64_t fanOut, InitScheme scheme, Rng& rng);

}  // namespace netloom::engine
