// Adversarial (GAN): a generator and a discriminator train against each other; the dataset
// gives real samples only, the targets (real / generated) are made by the recipe.
#include "engine/core/error.h"
#include "engine/losses/loss.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/task.h"
#include "engine/train/adversarial_recipe.h"

namespace netloom::engine {
namespace {

class AdversarialTask final : public TaskDef {
public:
    std::string id() const override { return "adversarial"; }
    std::string displayName() const override { return "Adversarial (GAN)"; }
    std::string phrase() const override { return "adversarial (GAN)"; }
    std::string description() const override {
        return "A generator learns to make samples its discriminator cannot tell from the data.";
    }
    TargetKind target() const override { return TargetKind::None; }
    std::vector<std::string> networkRoles() const override {
        return {"generator", "discriminator"};
    }
    std::vector<std::string> settingGroups() const override {
        return {"run", "optimizer", "gan", "dataset"};
    }
    std::string defaultLoss() const override { return "bce_logits"; }
    std::string lossProblem(const LossInfo& loss) const override {
        if (loss.id == "bce_logits") return {};
        return "the adversarial task trains with binary cross-entropy with logits, not " +
               loss.displayName;
    }
    TaskViews views() const override {
        TaskViews v;
        v.generatedSamples = true;
        v.evaluation = TaskViews::Evaluation::ClassifierScore;
        return v;
    }
    std::vector<FitProblem> fitProblems(const std::vector<const Graph*>& networks,
                                        const TrainingConfig&,
                                        const DataFacts& data) const override {
        if (networks.size() != 2 || !networks[0] || !networks[1]) return {};
        return adversarialFitProblems(*networks[0], *networks[1], &data);
    }
    // k D steps + 1 G step per iteration on a GanSession; sample grids in the events.
    std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs in) const override {
        if (in.networks.size() != 2)
            throw Error("the adversarial task trains a generator and a discriminator");
        return std::make_unique<AdversarialRecipe>(
            std::move(in.networks[0]), std::move(in.networks[1]), std::move(in.config),
            in.weightsAt(0), in.weightsAt(1), std::move(in.data));
    }
};

}  // namespace

const TaskDef& adversarialTaskDef() {
    static const AdversarialTask task;
    return task;
}

}  // namespace netloom::engine
