#include "engine/train/gan_trainer.h"

#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/train/adversarial_recipe.h"
#include "engine/train/gan.h"
#include "engine/train/graph_fit.h"

namespace netloom::engine {

void checkGanFitsData(const Graph& generator, const Graph& discriminator, const Dataset& train) {
    const DataFacts facts = DataFacts::of(train);
    throwFirstProblem(adversarialFitProblems(generator, discriminator, &facts));
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

RunRecord GanTrainer::run(const RunEventCallback& onEvent) {
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
