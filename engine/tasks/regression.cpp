// Regression: the network's output is a vector of values compared with the sample's targets.
#include "engine/losses/loss.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/task.h"

namespace netloom::engine {
namespace {

class RegressionTask final : public TaskDef {
public:
    std::string id() const override { return "regression"; }
    std::string displayName() const override { return "Regression"; }
    std::string description() const override {
        return "Predict numbers: the output layer gives as many values as each target has.";
    }
    TargetKind target() const override { return TargetKind::Regression; }
    std::vector<std::string> settingGroups() const override {
        return {"run", "optimizer", "schedule", "checkpoints", "validation", "dataset"};
    }
    std::string defaultLoss() const override { return "mse"; }
    std::string lossProblem(const LossInfo& loss) const override {
        if (!loss.classLabels) return {};
        return "regression needs a loss like MSE or L1, not " + loss.displayName;
    }
    TaskViews views() const override {
        TaskViews v;
        v.regressionScatter = true;
        return v;
    }
    std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs inputs) const override {
        return makeSupervisedRecipe(std::move(inputs), target());
    }
};

}  // namespace

const TaskDef& regressionTaskDef() {
    static const RegressionTask task;
    return task;
}

}  // namespace netloom::engine
