#pragma once
// The hooks every front end uses (run_hook.h): a learning-rate change asked from another
// thread, early stopping, and the loss-explosion watch.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/train/best_epoch.h"
#include "engine/train/run_hook.h"

namespace netloom::engine {

// Changes the learning rate from the next step on; request() may be called from any thread,
// also while the run is paused. The run records the rate each epoch used
// (EpochRecord::learningRate), so a change shows in the run history.
class LearningRateChange final : public RunHook {
public:
    void request(double lr) {
        if (lr > 0) m_pending.store(lr);
    }
    void onStepStart(int64_t, TrainingRecipe& recipe) override {
        if (const double lr = m_pending.exchange(0.0); lr > 0) recipe.setLearningRate(lr);
    }

private:
    std::atomic<double> m_pending{0.0};
};

// Early stopping (TrainingConfig::earlyStopping): ends the run after `patience` epochs without
// a lower validation loss, and at the end keeps the best epoch's weights; the run record's
// message names that epoch. Not used when the run is stopped by the user.
class EarlyStopping final : public RunHook {
public:
    EarlyStopping(int64_t patience, int64_t epochsPlanned)
        : m_patience(patience), m_planned(epochsPlanned) {}
    HookVerdict onEpochEnd(const RunEvent& ev, TrainingRecipe& recipe) override {
        m_best.offer(ev.epoch, ev.record.valLoss, ev.weightsOf(recipe.primaryRole()));
        m_lastEpoch = ev.epoch;
        return ev.epoch - m_best.epoch >= m_patience ? HookVerdict::finish()
                                                     : HookVerdict::proceed();
    }
    void onRunEnd(bool stopped, RunRecord& record, TrainingRecipe& recipe) override {
        if (stopped || !m_best.weights) return;
        recipe.loadPrimaryWeights(*m_best.weights);
        record.message = m_best.note(record.epochs.size(), m_planned);
    }
    // The best epoch, its loss and weights, and the epochs since: a resumed run keeps counting
    // its patience from where it was (standard_hooks.cpp).
    void saveState(Checkpoint& c) const override;
    void restoreState(const Checkpoint& c) override;
    const BestEpoch& best() const { return m_best; }
    int64_t epochsWithoutImprovement() const { return m_lastEpoch - m_best.epoch; }

private:
    int64_t m_patience, m_planned;
    int64_t m_lastEpoch = 0;  // the last epoch offered
    BestEpoch m_best;
};

// Watches a run's step losses for an explosion: a loss more than `factor` times the mean of the
// run's first steps (the reference). A NaN or infinite loss the run skeleton catches itself (it
// pauses and rolls back, RunOptions::pauseOnNonFinite); an exploding but still finite loss is
// caught here, so the run pauses while the weights are still usable. Fires at most once per
// run: after a resume the user decides. The loss is the step's "loss" metric (or `metric`).
class LossWatch {
public:
    static constexpr double kDefaultFactor = 1000.0;
    static constexpr int kReferenceBatches = 10;

    explicit LossWatch(double factor = kDefaultFactor) : m_factor(factor) {}
    void setFactor(double factor) { m_factor = factor; }
    double factor() const { return m_factor; }
    void reset();  // forgets the reference (a new run)

    // Feeds one step; returns a message for the user when this step's loss exploded (empty
    // otherwise).
    std::string check(int64_t epoch, int64_t stepInEpoch, int64_t step, double loss);
    std::string check(const RunEvent& ev);

    double reference() const { return m_count > 0 ? m_sum / m_count : 0.0; }

private:
    double m_factor;
    double m_sum = 0;
    int m_count = 0;
    bool m_fired = false;
};

// The loss watch as a hook: pauses the run (a Paused event with the watch's message).
class LossWatchHook final : public RunHook {
public:
    explicit LossWatchHook(double factor = LossWatch::kDefaultFactor) : m_watch(factor) {}
    void onRunStart(const RunEvent&, TrainingRecipe&) override { m_watch.reset(); }
    HookVerdict onStepEnd(const RunEvent& ev, TrainingRecipe&) override {
        std::string message = m_watch.check(ev);
        return message.empty() ? HookVerdict::proceed() : HookVerdict::pause(std::move(message));
    }
    LossWatch& watch() { return m_watch; }

private:
    LossWatch m_watch;
};

// The hooks a run's own settings ask for: early stopping when TrainingConfig::earlyStopping > 0
// and the recipe validates (a GAN has no validation loss to watch), the learning-rate schedule
// (train/lr_schedule_hook.h) when one is set. Every front end (Trainer,
// `netloom train`, the registry's runs) adds these, so a setting means the same everywhere.
std::vector<std::shared_ptr<RunHook>> hooksFromSettings(const TrainingRecipe& recipe);

}  // namespace netloom::engine
