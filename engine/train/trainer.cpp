#include "engine/train/trainer.h"

#include <cmath>

#include "engine/train/evaluator.h"

namespace netloom::engine {

TrainingEvent toTrainingEvent(const RunEvent& e) {
    TrainingEvent t;
    switch (e.kind) {
        case RunEvent::Kind::Started: t.kind = TrainingEvent::Kind::Started; break;
        case RunEvent::Kind::Step: t.kind = TrainingEvent::Kind::Batch; break;
        case RunEvent::Kind::Epoch: t.kind = TrainingEvent::Kind::Epoch; break;
        case RunEvent::Kind::Finished: t.kind = TrainingEvent::Kind::Finished; break;
        case RunEvent::Kind::Stopped: t.kind = TrainingEvent::Kind::Stopped; break;
        case RunEvent::Kind::Failed: t.kind = TrainingEvent::Kind::Failed; break;
        case RunEvent::Kind::Paused: t.kind = TrainingEvent::Kind::Paused; break;
    }
    t.epoch = e.epoch;
    t.epochs = e.epochs;
    t.batch = e.stepInEpoch;
    t.batchesPerEpoch = e.stepsPerEpoch;
    t.step = e.step;
    const bool figures = e.kind == RunEvent::Kind::Step || e.kind == RunEvent::Kind::Epoch;
    t.loss = e.metrics.get("loss", 0.0);
    // Batch and Epoch events carry NaN accuracy when not classifying.
    t.accuracy = e.metrics.get("accuracy", figures ? std::nan("") : 0.0);
    t.samplesPerSecond = e.samplesPerSecond;
    t.elapsedSeconds = e.elapsedSeconds;
    t.record = e.record;
    t.validation = e.validation;
    t.test = e.test;
    t.weights = e.weightsOf("model");
    t.message = e.message;
    return t;
}

Trainer::Trainer(Graph graph, TrainingConfig config, TargetKind target, WeightSet initialWeights)
    : m_graph(std::move(graph)),
      m_config(std::move(config)),
      m_target(target),
      m_initialWeights(std::move(initialWeights)) {}

Trainer::~Trainer() {
    stop();
}

WeightSet Trainer::weights() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_finalWeights;
}

std::vector<Model::LayerTiming> Trainer::timings() const {
    std::lock_guard<std::mutex> lock(m_resultMutex);
    return m_timings;
}

RunRecord Trainer::run(const Callback& onEvent) {
    return runEvents([&](const RunEvent& e) { onEvent(toTrainingEvent(e)); });
}

RunRecord Trainer::runEvents(const RunEventCallback& onEvent) {
    SupervisedRecipe::Options options;
    options.data = m_data;
    options.profiling = m_profiling;
    options.snapshotEveryBatches = m_snapshotEvery;
    SupervisedRecipe recipe(m_graph, m_config, m_target, m_initialWeights, std::move(options));
    std::vector<std::shared_ptr<RunHook>> hooks = hooksFromSettings(recipe);
    hooks.insert(hooks.begin(), m_lrChange);
    hooks.insert(hooks.end(), m_hooks.begin(), m_hooks.end());
    return runTraining(recipe, m_control, hooks, onEvent, m_options,
                       [&](std::map<std::string, WeightSet>&& kept) {
                           std::lock_guard<std::mutex> lock(m_resultMutex);
                           m_finalWeights = std::move(kept["model"]);
                           m_timings = recipe.timings();
                       });
}

}  // namespace netloom::engine
