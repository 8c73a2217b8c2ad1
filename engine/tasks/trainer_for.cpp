#include "engine/tasks/trainer_for.h"

#include "engine/tasks/registry.h"

namespace netloom::engine {

Trainer trainerFor(Graph graph, TrainingConfig config, WeightSet initialWeights) {
    const TargetKind target = taskFor(config).target();
    return Trainer(std::move(graph), std::move(config), target, std::move(initialWeights));
}

}  // namespace netloom::engine
