#pragma once
// GAN building blocks shared by the trainer, the CLI (train, eval) and the UI: finding and
// checking the generator/discriminator pair, the noise batches, and generating samples from
// saved weights.
#include <cstdint>

#include "engine/core/tensor.h"
#include "engine/graph/graph.h"
#include "engine/layers/params.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

struct GanNetworks {
    const Network* generator = nullptr;
    const Network* discriminator = nullptr;
};

// The two networks of an adversarial project; throws Error when a role is missing (a project
// read from a file always has both, see io/network_roles.h).
GanNetworks ganNetworks(const Project& project);

// Checks that the pair can train together; throws Error naming the network and what to change:
// both graphs valid, the generator starts with a Noise layer and the discriminator with an Input
// layer, the generator's output shape equals the discriminator's input shape, and the
// discriminator outputs one value (a logit: no Sigmoid, the loss is BCE with logits).
void checkGanGraphs(const Graph& generator, const Graph& discriminator);

// The generator's Noise parameters (normalized); throws Error without a Noise source.
Params generatorNoiseParams(const Graph& generator);

// `count` noise rows for the generator from `seed`: the same seed gives the same batch.
Tensor makeNoise(const Graph& generator, int64_t count, uint64_t seed);

// The run's fixed noise batch (config.gan.sampleCount rows, derived from config.seed): the
// trainer's sample grids show the generator on exactly this batch, so after a reopen
// generateSamples(generator, weights, fixedNoise(generator, config)) gives the last grid again.
Tensor fixedNoise(const Graph& generator, const TrainingConfig& config);

// The generator with these weights run on `noise` {N, latent...} in inference mode, on the
// calling thread (it builds its own oneDNN context); returns {N, output shape...}. Throws Error
// when the graph is invalid or the weights do not fit it.
Tensor generateSamples(const Graph& generator, const WeightSet& weights, const Tensor& noise);

}  // namespace netloom::engine
