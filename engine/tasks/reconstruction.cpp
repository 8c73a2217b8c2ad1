// Reconstruction (autoencoder): the network learns to give back its input; with input noise on,
// it sees a noisy copy and is compared with the clean one (denoising).
#include "engine/losses/loss.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/task.h"

namespace netloom::engine {
namespace {

class ReconstructionTask final : public TaskDef {
public:
    std::string id() const override { return "reconstruction"; }
    std::string displayName() const override { return "Reconstruction (autoencoder)"; }
    std::string phrase() const override { return "reconstruction (autoencoder)"; }
    std::string description() const override {
        return "Reproduce the input through a narrow code: the output has the input's size.";
    }
    TargetKind target() const override { return TargetKind::Reconstruction; }
    std::vector<std::string> settingGroups() const override {
        return {"run",        "optimizer", "schedule", "checkpoints",
                "validation", "denoising", "dataset"};
    }
    std::string defaultLoss() const override { return "bce"; }
    std::string lossProblem(const LossInfo& loss) const override {
        if (!loss.classLabels) return {};
        return "reconstruction compares output and input: use MSE, L1 or BCE";
    }
    TaskViews views() const override {
        TaskViews v;
        v.reconstructions = true;
        v.evaluation = TaskViews::Evaluation::ReconstructionScores;
        v.snapshotEveryBatches = 20;  // the reconstruction grid sharpens within an epoch
        return v;
    }
    std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs inputs) const override {
        return makeSupervisedRecipe(std::move(inputs), target());
    }
};

}  // namespace

const TaskDef& reconstructionTaskDef() {
    static const ReconstructionTask task;
    return task;
}

}  // namespace netloom::engine
