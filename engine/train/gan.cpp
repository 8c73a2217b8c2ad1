#include "engine/train/gan.h"

#include "engine/core/compute.h"
#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/graph/analysis.h"
#include "engine/layers/noise.h"
#include "engine/model/model.h"
#include "engine/project/network_roles.h"

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
    const GraphAnalysis g = analyzed(generator, "generator");
    const GraphAnalysis d = analyzed(discriminator, "discriminator");
    const Node& gIn = generator.node(g.inputNode);
    const Node& dIn = discriminator.node(d.inputNode);
    if (gIn.type != "Noise")
        throw Error("the generator starts with " + gIn.type + " '" + gIn.name +
                    "': a generator's source is a Noise layer (replace it)");
    if (dIn.type != "Input")
        throw Error("the discriminator starts with " + dIn.type + " '" + dIn.name +
                    "': a discriminator's source is an Input layer that takes images");
    const Shape& gOut = g.nodes.at(g.outputNode).output;
    const Shape& dShape = d.nodes.at(d.inputNode).output;
    if (gOut != dShape)
        throw Error("the generator's output '" + generator.node(g.outputNode).name + "' is " +
                    gOut.toString() + " but the discriminator's Input '" + dIn.name + "' takes " +
                    dShape.toString() + ": they must be the same shape");
    const Shape& dOut = d.nodes.at(d.outputNode).output;
    if (dOut.elements() != 1)
        throw Error("the discriminator's output '" + discriminator.node(d.outputNode).name +
                    "' gives " + dOut.toString() +
                    " values; it must give 1 (a real-vs-fake logit): end it with Dense 1");
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
