#pragma once
// A task's recipe for the one run skeleton (run_loop.h): what a step does, what an epoch's
// validation computes, what is evaluated at the end and which weights the run keeps. The
// skeleton owns everything tasks share (threads, pause/resume/stop, NaN/Inf handling, timing,
// hooks, the failure wrapper, events); a recipe only fills in the task's part. Recipes are
// created by the task registry (TaskDef::makeRecipe in engine/tasks) and used on one thread.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/project/project.h"
#include "engine/project/training_config.h"
#include "engine/train/checkpoint.h"
#include "engine/train/run_event.h"

namespace netloom::engine {

class TrainingRecipe {
public:
    virtual ~TrainingRecipe() = default;

    virtual const TrainingConfig& config() const = 0;
    // Fills the record's task-specific defaults before anything can fail (e.g. NaN test figures
    // for tasks without a test evaluation).
    virtual void describeRecord(RunRecord& record) const { (void)record; }
    // Validates the task's settings, loads data and builds the models (on the run's thread,
    // after its thread count is set). Fills the Started event (stepsPerEpoch, message).
    virtual void prepare(RunEvent& started) = 0;
    virtual int64_t samplesPerStep() const = 0;
    // How a step is called in messages: "batch"/"batches", "iteration"/"iterations".
    virtual const char* stepNoun() const { return "batch"; }
    virtual const char* stepNounPlural() const { return "batches"; }

    virtual void beginEpoch(int64_t epoch) = 0;
    // One training step; fills ev.metrics with its figures. Returns false when a loss is NaN or
    // infinite: nothing was updated, and nonFiniteProblem() says which loss and where.
    virtual bool step(int64_t epoch, int64_t stepInEpoch, int64_t step, RunEvent& ev) = 0;
    virtual std::string nonFiniteProblem() const = 0;  // "the loss became NaN at epoch 2, ..."
    virtual std::string nonFiniteAdvice() const {
        return "lower the learning rate, add gradient clipping or check the data";
    }
    // Payloads of a step event (weight snapshots, sample grids), outside the timed step.
    virtual void decorateStep(RunEvent& ev) { (void)ev; }

    // Rolling back to an epoch's start (the pause-on-NaN option): recipes that support it keep
    // weights and optimizer state; restoreEpochStart() also forgets the epoch's sums.
    virtual bool canRollBack() const { return false; }
    virtual void takeEpochStart() {}
    virtual void restoreEpochStart() {}

    // The epoch's figures (record fields and metrics, validation) and its event's payloads.
    virtual void endEpoch(int64_t epoch, EpochRecord& record, RunEvent& ev) = 0;
    // Whether endEpoch() computes a validation loss (EpochRecord::valLoss), which early stopping
    // watches.
    virtual bool validates() const = 0;
    // Checkpoints (checkpoint.h), at an epoch's end: the recipe's part of the state (weights,
    // optimizer state, data order, generators). loadCheckpoint() runs after prepare() and
    // throws Error when the checkpoint does not fit (another graph: the layer and shape named).
    virtual bool canCheckpoint() const { return false; }
    virtual void saveCheckpoint(Checkpoint& c) const { (void)c; }
    virtual void loadCheckpoint(const Checkpoint& c) { (void)c; }

    // The end of a run: final evaluation (when not stopped) into ev and record, and the payloads
    // of the last event. The weights to keep are taken after this.
    virtual void finish(bool stopped, RunEvent& ev, RunRecord& record) = 0;
    // What finish() evaluates after a run's last step, for the Evaluating event that precedes
    // it ("Evaluating on the test set"); empty when it evaluates nothing worth waiting for.
    virtual std::string finalEvaluation() const { return {}; }

    // The learning rate steps use now (the first network's optimizer); changing it applies from
    // the next step.
    virtual double learningRate() const = 0;
    virtual void setLearningRate(double lr) = 0;

    // The network hooks such as early stopping look at ("model", "generator"), its weights now,
    // and loading weights into it (e.g. the best epoch's).
    virtual std::string primaryRole() const = 0;
    virtual void loadPrimaryWeights(const WeightSet& weights) = 0;
    // The weights the run keeps, by network role.
    virtual std::map<std::string, WeightSet> keptWeights() = 0;
    // Per-layer timings of the training steps when profiling was asked (valid after the run);
    // empty for recipes that do not profile.
    virtual std::vector<Model::LayerTiming> timings() const { return {}; }
};

}  // namespace netloom::engine
