// Sequence generation: the network predicts the next token at every step of a token sequence
// (character-level text), and text is sampled from it one token at a time
// (engine/infer/text_sampler.h). Recipe: sequence_generation_recipe.h.
#include "engine/losses/loss.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/sequence_generation_recipe.h"
#include "engine/tasks/task.h"

namespace netloom::engine {
namespace {

class SequenceGenerationTask final : public TaskDef {
public:
    std::string id() const override { return "sequence-generation"; }
    std::string displayName() const override { return "Sequence generation"; }
    std::string description() const override {
        return "Predict the next character of each line of a text, then write new text one "
               "character at a time: the output gives logits over the vocabulary at every step.";
    }
    TargetKind target() const override { return TargetKind::NextToken; }
    std::vector<std::string> settingGroups() const override {
        return {"run", "optimizer", "validation", "dataset"};
    }
    std::string defaultLoss() const override { return "cross_entropy"; }
    std::string lossProblem(const LossInfo& loss) const override {
        if (loss.classLabels) return {};
        return "sequence generation predicts a token at every step: it needs softmax "
               "cross-entropy, not " +
               loss.displayName;
    }
    TaskViews views() const override {
        TaskViews v;
        v.liveText = true;
        v.evaluation = TaskViews::Evaluation::TokenPerplexity;
        // The live text follows the weights within an epoch too (the window shows at most a
        // few snapshots per second).
        v.snapshotEveryBatches = 100;
        return v;
    }
    std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs inputs) const override {
        return makeSequenceGenerationRecipe(std::move(inputs));
    }
};

}  // namespace

const TaskDef& sequenceGenerationTaskDef() {
    static const SequenceGenerationTask task;
    return task;
}

}  // namespace netloom::engine
