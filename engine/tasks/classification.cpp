// Classification: the network's output is one score (logit) per class; the loss compares it with
// the sample's class label.
#include "engine/losses/loss.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/task.h"

namespace netloom::engine {
namespace {

class ClassificationTask final : public TaskDef {
public:
    std::string id() const override { return "classification"; }
    std::string displayName() const override { return "Classification"; }
    std::string description() const override {
        return "Predict each sample's class: the output layer gives one score per class.";
    }
    TargetKind target() const override { return TargetKind::ClassLabels; }
    std::vector<std::string> settingGroups() const override {
        return {"run",        "optimizer", "schedule",    "checkpoints",
                "validation", "dataset",   "augmentation"};
    }
    std::string defaultLoss() const override { return "cross_entropy"; }
    std::string lossProblem(const LossInfo& loss) const override {
        if (loss.classLabels) return {};
        return "classification needs a loss on class labels (softmax cross-entropy), not " +
               loss.displayName;
    }
    TaskViews views() const override {
        TaskViews v;
        v.accuracy = v.predictionGallery = v.drawPad = v.decisionRegions = true;
        return v;
    }
    std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs inputs) const override {
        return makeSupervisedRecipe(std::move(inputs), target());
    }
};

}  // namespace

const TaskDef& classificationTaskDef() {
    static const ClassificationTask task;
    return task;
}

}  // namespace netloom::engine
