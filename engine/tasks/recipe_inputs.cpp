#include "engine/tasks/recipe_inputs.h"

#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"
#include "engine/train/supervised_recipe.h"

namespace netloom::engine {

RecipeInputs recipeInputsFor(const Project& project) {
    const TaskDef& task = taskFor(project.training);
    if (project.networks.empty()) throw Error("the project has no network to train");
    RecipeInputs in;
    in.config = project.training;
    const std::vector<std::string> roles = task.networkRoles();
    for (size_t i = 0; i < roles.size(); ++i) {
        const Network* n =
            roles.size() == 1 ? &project.networks.front() : findNetwork(project, roles[i]);
        if (!n)
            throw Error("the " + task.phrase() + " task needs a network with role \"" + roles[i] +
                        "\"");
        in.networks.push_back(n->graph);
        in.weights.push_back(n->weights);
    }
    return in;
}

std::unique_ptr<TrainingRecipe> makeSupervisedRecipe(RecipeInputs in, TargetKind target) {
    if (in.networks.empty()) throw Error("no network to train");
    SupervisedOptions options;
    options.data = std::move(in.data);
    options.profiling = in.profiling;
    options.snapshotEveryBatches = in.snapshotEverySteps;
    WeightSet weights = in.weightsAt(0);
    return std::make_unique<SupervisedRecipe>(std::move(in.networks.front()), std::move(in.config),
                                              target, std::move(weights), std::move(options));
}

}  // namespace netloom::engine
