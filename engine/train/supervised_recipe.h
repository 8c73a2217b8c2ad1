#pragma once
// The recipe of the tasks that learn from a target per sample: classification (class labels),
// regression (targets) and reconstruction (the input itself). A step is batch → forward →
// loss → backward → optimizer step; an epoch ends with the validation set's loss (and accuracy
// when classifying); a finished run ends with the test set's. The task parameter is the target.
#include <cstdint>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <vector>

#include "engine/core/compute.h"
#include "engine/core/rng.h"
#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/graph/graph.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/optim/optimizer.h"
#include "engine/train/recipe.h"

namespace netloom::engine {

struct SupervisedOptions {
    std::shared_ptr<const DataSplit> data;  // null: loaded from config.dataset
    bool profiling = false;
    // Every n-th step's event carries a copy of the weights (0 = Epoch events only).
    int64_t snapshotEveryBatches = 0;
};

class SupervisedRecipe final : public TrainingRecipe {
public:
    using Options = SupervisedOptions;

    // initialWeights: continue from these (layers added or changed since start fresh).
    // target: the task's (TaskDef::target()); nullopt reads it from the config's task id in
    // prepare() (older callers), failing the run when that task has no per-sample target.
    SupervisedRecipe(Graph graph, TrainingConfig config, TargetKind target,
                     WeightSet initialWeights = {}, Options options = {});
    ~SupervisedRecipe() override;

    const TrainingConfig& config() const override { return m_config; }
    void prepare(RunEvent& started) override;
    int64_t samplesPerStep() const override { return m_config.batchSize; }
    void beginEpoch(int64_t epoch) override;
    bool step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) override;
    std::string nonFiniteProblem() const override { return m_problem; }
    void decorateStep(RunEvent& ev) override;
    bool canRollBack() const override { return true; }
    void takeEpochStart() override;
    void restoreEpochStart() override;
    void endEpoch(int64_t epoch, EpochRecord& record, RunEvent& ev) override;
    bool validates() const override { return true; }
    void finish(bool stopped, RunEvent& ev, RunRecord& record) override;
    std::string finalEvaluation() const override { return "Evaluating on the test set"; }
    bool canCheckpoint() const override { return true; }
    void saveCheckpoint(Checkpoint& c) const override;
    void loadCheckpoint(const Checkpoint& c) override;
    double learningRate() const override;
    void setLearningRate(double lr) override;
    std::string primaryRole() const override { return "model"; }
    void loadPrimaryWeights(const WeightSet& weights) override;
    std::map<std::string, WeightSet> keptWeights() override;

    // Per-layer timings of the training steps (with profiling on), plus the steps' data, loss
    // and optimizer overhead rows. Valid after the run.
    std::vector<Model::LayerTiming> timings() const override;

private:
    struct State;  // everything built in prepare()

    Graph m_graph;
    TrainingConfig m_config;
    TargetKind m_target = TargetKind::None;
    WeightSet m_initialWeights;
    Options m_options;
    std::unique_ptr<State> m_s;
    std::string m_problem;
    mutable std::mutex m_timingsMutex;
    std::vector<Model::LayerTiming> m_timings;
};

}  // namespace netloom::engine

namespace netloom::engine {

struct GraphAnalysis;

// Checks that the graph's input and output fit the dataset and the target; throws Error with
// the first of supervisedFitProblems (engine/train/graph_fit.h), the editor's own check.
void checkGraphFitsData(const GraphAnalysis& analysis, const Graph& graph,
                        const TrainingConfig& config, TargetKind target, const Dataset& train);

}  // namespace netloom::engine
