#include "engine/train/gan.h"

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/graph/analysis.h"
#include "engine/layers/noise.h"
#include "engine/model/model.h"
#include "engine/project/network_roles.h"
#include "engine/train/graph_fit.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kFixedNoiseSalt = 0xf1ed5a3b1e5ull;

// Analysis of one network of the pair, or an Error naming the network.
GraphAnalysis analyzed(const Graph& graph, const char* role) {
    GraphAnalysis a = analyzeGraph(graph);
    if (!a.ok()) throw Error(std::string("the ") + role + ": " + a.firstProblem());
    return a;
}

}  // namespace

GanNetworks ganNetworks(const Project& project) {
    GanNetworks n{findNetwork(project, kGeneratorRole), findNetwork(project, kDiscriminatorRole)};
    if (!n.generator || !n.discriminator)
        throw Error(std::string("the adversarial task needs networks with roles \"generator\" "
                                "and \"discriminator\"; this project has no \"") +
                    (n.generator ? kDiscriminatorRole : kGeneratorRole) + "\"");
    return n;
}

void checkGanGraphs(const Graph& generator, const Graph& discriminator) {
    throwFirstProblem(adversarialFitProblems(generator, discriminator, nullptr));
}

Params generatorNoiseParams(const Graph& generator) {
    const GraphAnalysis g = analyzed(generator, "generator");
    const Node& src = generator.node(g.inputNode);
    if (src.type != "Noise")
        throw Error("the generator starts with " + src.type + " '" + src.name +
                    "': a generator's source is a Noise layer (replace it)");
    return g.nodes.at(g.inputNode).params;
}

Tensor makeNoise(const Graph& generator, int64_t count, uint64_t seed) {
    Rng rng(Rng::mix(seed));
    Tensor z;
    drawNoise(generatorNoiseParams(generator), count, rng, z);
    return z;
}

Tensor fixedNoise(const Graph& generator, const TrainingConfig& config) {
    return makeNoise(generator, config.gan.sampleCount, config.seed ^ kFixedNoiseSalt);
}

Tensor generateSamples(const Graph& generator, const WeightSet& weights, const Tensor& noise) {
    ComputeContext ctx;
    Model model(generator, ctx);
    if (weights.empty() && !model.parameters().empty())
        throw Error("the generator has no trained weights: train the project first");
    model.loadWeights(weights);
    return model.forward(noise, false);
}

}  // namespace netloom::engine
