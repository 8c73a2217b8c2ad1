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

std::vector<FitProblem> projectFitProblems(const Project& project, const DataFacts& data) {
    const TaskDef* task = findTask(project.training.task);
    if (!task || project.networks.empty()) return {};
    const std::vector<std::string> roles = task->networkRoles();
    std::vector<const Graph*> graphs;
    std::vector<int> index;  // role → position in project.networks
    for (const std::string& role : roles) {
        const Network* n =
            roles.size() == 1 ? &project.networks.front() : findNetwork(project, role);
        if (!n) return {};
        graphs.push_back(&n->graph);
        index.push_back(static_cast<int>(n - project.networks.data()));
    }
    std::vector<FitProblem> problems = task->fitProblems(graphs, project.training, data);
    for (FitProblem& p : problems) p.network = index.at(static_cast<size_t>(p.network));
    return problems;
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
