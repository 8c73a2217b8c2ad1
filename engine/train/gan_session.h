#pragma once
// The state of adversarial training and its two kinds of step: both models on one compute
// context, one optimizer each, the noise stream. GanTrainer runs the steps in a loop with
// events; tests drive them one at a time. Built and used on one thread (oneDNN's rule).
//
// D step: z ~ noise, fake = G(z) (training mode); D is updated on
//         BCE-with-logits(D(real), 1) + BCE-with-logits(D(fake), 0), with fake detached.
// G step: on the fake batch of the last D step, BCE-with-logits(D(fake), 1) (non-saturating)
//         back-propagates through D into G; only G is updated. D runs in training mode, as in
//         PyTorch, so D's BatchNorm running statistics (not weights) move in G steps too.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/graph/graph.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/parameter_average.h"

namespace netloom::engine {

// The seed D's weights are initialised with for a run seed (G's is the run seed itself); the
// PyTorch export starts an untrained discriminator from the same weights.
uint64_t discriminatorInitSeed(uint64_t seed);

class GanSession {
public:
    struct DiscriminatorResult {
        double loss = 0;          // real + fake terms
        double realAccuracy = 0;  // D(real) > 0
        double fakeAccuracy = 0;  // D(fake) < 0
    };

    // Builds both models, initializes them from config.seed and config.init (different streams)
    // and creates the optimizers (config.optimizer for G, config.gan.discriminatorOptimizer or
    // else the same settings for D). Throws Error when the graphs do not fit (checkGanGraphs).
    GanSession(const Graph& generator, const Graph& discriminator, const TrainingConfig& config,
               ComputeContext& ctx);
    ~GanSession();

    // Continue from trained weights; an empty set keeps that network's initialization. Layers
    // whose weights do not fit (added or changed since training) keep theirs too; returns them
    // as "generator fc2" / "discriminator d1".
    std::vector<std::string> loadWeights(const WeightSet& generator,
                                         const WeightSet& discriminator);

    // One D step on `real`. `noise`, when given, replaces the draw from the session's noise
    // stream (same shape as a draw: the batch × the generator's input), so another
    // implementation can take the identical step (test_pytorch_export's GAN rows).
    DiscriminatorResult discriminatorStep(const Tensor& real, const Tensor* noise = nullptr);
    // Needs a discriminatorStep() since the last step or generate(); returns the G loss.
    double generatorStep();

    // From now on keep an exponential moving average of G's parameters (parameter_average.h)
    // with this decay, updated after every G step; generate() and generatorWeights() then use
    // the averaged generator. Training itself is unchanged.
    void averageGenerator(double decay);
    bool isAveragingGenerator() const { return m_gAverage != nullptr; }

    // Inference-mode generator output for z (invalidates the pending fake batch).
    const Tensor& generate(const Tensor& z);
    // The generator's weights to keep: the averaged ones when averaging, else the trained ones.
    WeightSet generatorWeights();

    const Tensor& lastNoise() const { return m_z; }  // z of the last D step

    // G's optimizer (the run's learning rate is G's; D's has its own settings).
    Optimizer& generatorOptimizer() { return *m_gOpt; }

    Model& generator() { return *m_g; }
    Model& discriminator() { return *m_d; }

private:
    std::unique_ptr<Model> m_g, m_d;
    std::unique_ptr<Optimizer> m_gOpt, m_dOpt;
    std::unique_ptr<ParameterAverage> m_gAverage;
    std::unique_ptr<Loss> m_loss;
    std::vector<Parameter*> m_gParams, m_dParams;
    std::vector<Tensor> m_savedGrads;  // D's gradients of the real term while the fake runs
    Params m_noiseParams;
    Rng m_noiseRng;
    Tensor m_z, m_ones, m_zeros, m_lossGrad, m_fakeGrad;
    const Tensor* m_fake = nullptr;  // G's output of the last D step (owned by m_g)
};

}  // namespace netloom::engine
