#include "engine/train/gan_trainer.h"

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/train/adversarial_recipe.h"
#include "engine/train/gan.h"

namespace netloom::engine {

GanEvent toGanEvent(const RunEvent& e) {
    GanEvent g;
    switch (e.kind) {
        case RunEvent::Kind::Started: g.kind = GanEvent::Kind::Started; break;
        case RunEvent::Kind::Step: g.kind = GanEvent::Kind::Iteration; break;
        case RunEvent::Kind::Epoch: g.kind = GanEvent::Kind::Epoch; break;
        case RunEvent::Kind::Finished: g.kind = GanEvent::Kind::Finished; break;
        // GanEvent has no Paused: the adversarial recipe never rolls back, and a hook's pause
        // reads as a stop-like notice with its message.
        case RunEvent::Kind::Paused:
        case RunEvent::Kind::Stopped: g.kind = GanEvent::Kind::Stopped; break;
        case RunEvent::Kind::Failed: g.kind = GanEvent::Kind::Failed; break;
    }
    g.epoch = e.epoch;
    g.epochs = e.epochs;
    g.iteration = e.stepInEpoch;
    g.iterationsPerEpoch = e.stepsPerEpoch;
    g.step = e.step;
    g.metrics.dLoss = e.metrics.get("d_loss", 0.0);
    g.metrics.gLoss = e.metrics.get("g_loss", 0.0);
    g.metrics.dRealAccuracy = e.metrics.get("d_real_accuracy", 0.0);
    g.metrics.dFakeAccuracy = e.metrics.get("d_fake_accuracy", 0.0);
    g.iterationsPerSecond = e.stepsPerSecond;
    g.elapsedSeconds = e.elapsedSeconds;
    if (e.samples) {
        g.hasSamples = true;
        g.samples = *e.samples;
    }
    g.record = e.record;
    g.generatorWeights = e.weightsOf("generator");
    g.trainedGeneratorWeights = e.weightsOf("generator (trained)");
    g.message = e.message;
    return g;
}

void checkGanFitsData(const Graph& generator, const Graph& discriminator, const Dataset& train) {
    checkGanGraphs(generator, discriminator);
    const GraphAnalysis d = analyzeGraph(discriminator);
    const Shape& in = d.nodes.at(d.inputNode).output;
    if (in.elements() != train.sampleShape.elements())
        throw Error("the discriminator's Input '" + discriminator.node(d.inputNode).name +
                    "' has shape " + in.toString() + " but the dataset's samples are " +
                    train.sampleShape.toString() + ": set its shape to " +
                    train.sampleShape.toAsciiString() + " and the generator's output to match");
}

GanTrainer::GanTrainer(Graph generator, Graph discriminator, TrainingConfig config,
                       WeightSet generatorWeights, WeightSet discriminatorWeights)
    : m_generator(std::move(generator)),
      m_discriminator(std::move(discriminator)),
      m_config(std::move(config)),
      m_initialG(std::move(generatorWeights)),
      m_initialD(std::move(discriminatorWeights)) {}

GanTrainer::~GanTrainer() {
    stop();
}

WeightSet GanTrainer::generatorWeights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalG;
}

WeightSet GanTrainer::discriminatorWeights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalD;
}

RunRecord GanTrainer::run(const Callback& onEvent) {
    return runEvents([&](const RunEvent& e) { onEvent(toGanEvent(e)); });
}

RunRecord GanTrainer::runEvents(const RunEventCallback& onEvent) {
    AdversarialRecipe recipe(m_generator, m_discriminator, m_config, m_initialG, m_initialD,
                             m_data);
    std::vector<std::shared_ptr<RunHook>> hooks = hooksFromSettings(recipe);
    hooks.insert(hooks.begin(), m_lrChange);
    hooks.insert(hooks.end(), m_hooks.begin(), m_hooks.end());
    return runTraining(recipe, m_control, hooks, onEvent, {},
                       [&](std::map<std::string, WeightSet>&& kept) {
                           std::lock_guard<std::mutex> lock(m_resultMutex);
                           m_finalG = std::move(kept["generator"]);
                           m_finalD = std::move(kept["discriminator"]);
                       });
}

}  // namespace netloom::engine
