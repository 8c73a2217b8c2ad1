#include "engine/train/trainer.h"

#include "engine/train/evaluator.h"

namespace netloom::engine {

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

RunRecord Trainer::run(const RunEventCallback& onEvent) {
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
