#pragma once
// What a task's training recipe is made from (TaskDef::makeRecipe): the networks and their
// starting weights in the task's role order, the settings and, optionally, loaded data.
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/graph/graph.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/graph_fit.h"
#include "engine/train/recipe.h"

namespace netloom::engine {

struct RecipeInputs {
    std::vector<Graph> networks;     // one per TaskDef::networkRoles() entry, in that order
    std::vector<WeightSet> weights;  // the same order; a missing or empty set = fresh weights
    TrainingConfig config;
    std::shared_ptr<const DataSplit> data;  // null: loaded from config.dataset
    bool profiling = false;                 // per-layer timings (supervised tasks)
    int64_t snapshotEverySteps = 0;         // weight copies in every n-th step's event

    const WeightSet& weightsAt(size_t i) const {
        static const WeightSet none;
        return i < weights.size() ? weights[i] : none;
    }
};

// The inputs for a project's run: its networks by the task's roles (a one-role task trains
// networks[0]), their trained weights and its settings. Throws Error naming a missing role.
RecipeInputs recipeInputsFor(const Project& project);

// The project's networks against the data and its task (TaskDef::fitProblems, the check the
// recipe refuses a start with), each problem with its network's index in project.networks, as
// recipeInputsFor() maps roles to networks. Empty for an unknown task or a missing role.
std::vector<FitProblem> projectFitProblems(const Project& project, const DataFacts& data);

// The one recipe of the tasks with a per-sample target (classification, regression,
// reconstruction), parameterised by that target.
std::unique_ptr<TrainingRecipe> makeSupervisedRecipe(RecipeInputs inputs, TargetKind target);

}  // namespace netloom::engine
