#pragma once
// A task is what a project trains for: classification, regression, reconstruction (autoencoder),
// adversarial (GAN), and next sequence generation. Each task kind lives in one file in this
// folder (its traits and its training recipe) and is listed once in tasks/registry.cpp. Code that
// behaves differently per task asks the project's TaskDef (taskFor(config)) for a trait instead of
// comparing the task's name: the name appears only in the task's own file and in the project file.
#include <memory>
#include <string>
#include <vector>

#include "engine/data/target_kind.h"
#include "engine/train/graph_fit.h"

namespace netloom::engine {

struct LossInfo;
struct RecipeInputs;
class TrainingRecipe;

// The live views and evaluation tools the window offers for a task.
struct TaskViews {
    bool accuracy = false;           // accuracy charts, confusion matrix, per-class table
    bool predictionGallery = false;  // test images with their predicted classes
    bool drawPad = false;            // "try it": draw or pick an input, see class probabilities
    bool decisionRegions = false;    // 2-D inputs: the classifier's regions over the plane
    bool regressionScatter = false;  // predicted against true targets
    bool reconstructions = false;    // test images beside their reconstructions, latent explorer
    bool generatedSamples = false;   // GAN sample grid, latent walk
    bool liveText = false;           // text sampled from the weights, per-character perplexity
    // Evaluation tab: the figures `netloom eval` and the window compute for trained weights.
    // TokenPerplexity: per-character perplexity beside the character-unigram baseline's.
    enum class Evaluation { None, ReconstructionScores, ClassifierScore, TokenPerplexity };
    Evaluation evaluation = Evaluation::None;
    // Weight snapshots the live views need within an epoch (0 = after each epoch only).
    int snapshotEveryBatches = 0;
};

class TaskDef {
public:
    virtual ~TaskDef() = default;

    virtual std::string id() const = 0;           // stable id in project files: "classification"
    virtual std::string displayName() const = 0;  // "Classification", for menus and combos
    virtual std::string description() const = 0;  // tooltip: what the task trains for
    // Lower-case phrase for undo labels and sentences: "reconstruction (autoencoder)".
    virtual std::string phrase() const { return id(); }

    virtual TargetKind target() const = 0;
    // The roles of the networks a project of this task holds, in order: {"model"}, or
    // {"generator", "discriminator"}.
    virtual std::vector<std::string> networkRoles() const { return {"model"}; }
    bool isMultiNetwork() const { return networkRoles().size() > 1; }

    // Groups of training settings (engine/settings) that apply to this task, e.g. "run",
    // "optimizer", "validation", "denoising", "gan", "dataset".
    virtual std::vector<std::string> settingGroups() const = 0;

    virtual std::string defaultLoss() const = 0;
    // Empty when this loss suits the task, else why not, with advice ("classification needs a
    // loss on class labels (softmax cross-entropy), not Mean squared error").
    virtual std::string lossProblem(const LossInfo& loss) const = 0;

    virtual TaskViews views() const = 0;

    // Whether the networks (one per networkRoles() entry, in that order) fit the data and this
    // task: input shape, output size, the GAN pair (engine/train/graph_fit.h). The editor lists
    // these live; the recipe refuses to start on the first one, from the same functions.
    virtual std::vector<FitProblem> fitProblems(const std::vector<const Graph*>& networks,
                                                const TrainingConfig& config,
                                                const DataFacts& data) const;

    // The task's recipe for the one run skeleton (engine/train/run_loop.h): how a step is done,
    // what an epoch's validation and the run's end evaluate, which weights it keeps and what
    // its events carry. Throws Error when the inputs do not suit the task.
    virtual std::unique_ptr<TrainingRecipe> makeRecipe(RecipeInputs inputs) const = 0;
};

}  // namespace netloom::engine
