#include "engine/search/search_runner.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <thread>

#include "engine/core/error.h"
#include "engine/data/dataset.h"
#include "engine/search/median_pruner.h"
#include "engine/search/strategy.h"
#include "engine/settings/settings.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/task.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"

namespace netloom::engine {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// Records the metric after each epoch and stops the trial when the pruner says so. Stopping
// (not finishing) skips the final test-set evaluation nobody needs.
class TrialHook final : public RunHook {
public:
    TrialHook(Trial& trial, const SearchSpace& space, const std::vector<Trial>& earlier,
              RunControl& control, const SearchCallbacks& callbacks)
        : m_trial(trial),
          m_space(space),
          m_earlier(earlier),
          m_control(control),
          m_callbacks(callbacks),
          m_pruner(space.pruner, space.maximize) {}

    HookVerdict onEpochEnd(const RunEvent& ev, TrainingRecipe&) override {
        m_trial.curve.push_back(searchMetric(ev.record, m_space.metric));
        if (m_callbacks.epochEnded) m_callbacks.epochEnded(m_trial);
        if (ev.epoch < ev.epochs)
            if (auto why = m_pruner.shouldPrune(m_trial.curve, m_earlier)) {
                m_pruned = true;
                m_trial.message = *why;
                m_control.stop();
            }
        return HookVerdict::proceed();
    }
    bool pruned() const { return m_pruned; }

private:
    Trial& m_trial;
    const SearchSpace& m_space;
    const std::vector<Trial>& m_earlier;
    RunControl& m_control;
    const SearchCallbacks& m_callbacks;
    MedianPruner m_pruner;
    bool m_pruned = false;
};

// Trials share the loaded data while the settings that decide it stay the same.
class DataShare {
public:
    std::shared_ptr<const DataSplit> get(const TrainingConfig& c) {
        const std::string key = dataKey(c);
        if (!m_data || key != m_key) {
            m_data.reset();
            m_data =
                std::make_shared<const DataSplit>(loadData(c.dataset, c.validationSplit, c.seed));
            m_key = key;
        }
        return m_data;
    }

private:
    std::string m_key;
    std::shared_ptr<const DataSplit> m_data;
};

// Trains one trial; returns false when it was interrupted (stop or time budget) and is not kept.
bool runTrial(const Project& project, const SearchSpace& space, Trial& trial,
              const std::vector<Trial>& earlier, DataShare& data, SearchControl& control,
              const SearchCallbacks& callbacks) {
    const auto t0 = Clock::now();
    const std::clock_t cpu0 = std::clock();
    auto cpuSeconds = [cpu0] { return static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC; };
    std::unique_ptr<TrainingRecipe> recipe;
    try {
        Project p = applyTrialValues(project, space, trial.values);
        p.training.checkpoints = CheckpointConfig{};  // trials leave the project's alone
        RecipeInputs in = recipeInputsFor(p);
        in.weights.clear();  // every trial starts from fresh weights
        if (taskFor(p.training).target() != TargetKind::NextToken) in.data = data.get(p.training);
        recipe = taskFor(p.training).makeRecipe(std::move(in));
    } catch (const std::exception& e) {
        trial.state = TrialState::Failed;
        trial.message = e.what();
        trial.seconds = secondsSince(t0);
        return true;
    }
    RunControl run;
    control.setCurrent(&run);
    if (control.stopped()) run.stop();
    auto hook = std::make_shared<TrialHook>(trial, space, earlier, run, callbacks);
    std::vector<std::shared_ptr<RunHook>> hooks = hooksFromSettings(*recipe);
    hooks.push_back(hook);
    std::string failure;
    const RunRecord record = runTraining(*recipe, run, hooks, [&](const RunEvent& ev) {
        if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
    });
    control.setCurrent(nullptr);
    trial.seconds = secondsSince(t0);
    trial.cpuSeconds = cpuSeconds();
    if (record.status == "failed") {
        trial.state = TrialState::Failed;
        trial.message = failure;
        return true;
    }
    if (hook->pruned()) {
        trial.state = TrialState::Pruned;
        return true;
    }
    if (record.status == "stopped") return false;
    trial.state = TrialState::Finished;
    if (trial.curve.empty() || std::isnan(trial.value())) {
        trial.state = TrialState::Failed;
        trial.message = "the run reported no " + space.metric;
    }
    return true;
}

}  // namespace

void SearchControl::stop() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopped.store(true);
    if (m_current) m_current->stop();
}

void SearchControl::setCurrent(RunControl* c) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_current = c;
}

SearchOutcome runSearch(const Project& project, SearchRecord record, const SearchBudget& budget,
                        SearchControl& control,
                        const std::function<void(const SearchRecord&)>& persist,
                        const SearchCallbacks& callbacks) {
    const StrategyDef* def = findStrategy(record.strategy);
    if (!def)
        throw Error("unknown search strategy '" + record.strategy + "' (" + strategyIds() + ")");
    if (budget.trials < 1) throw Error("the trial budget must be at least 1");
    if (budget.seconds < 0 || !std::isfinite(budget.seconds))
        throw Error("the time budget must be a number of seconds >= 0");
    validateSpace(record.space, project);
    for (const Trial& t : record.trials)
        if (t.values.size() != record.space.dimensions.size())
            throw Error("trial " + std::to_string(t.number) + " does not match the space");

    std::unique_ptr<SearchStrategy> strategy = def->make();
    DataShare data;
    const auto start = Clock::now();
    SearchOutcome out;
    while (true) {
        if (control.stopped()) {
            out.endReason = "stopped";
            break;
        }
        if (static_cast<int64_t>(record.trials.size()) >= budget.trials) {
            out.endReason = "budget of " + std::to_string(budget.trials) + " trials reached";
            break;
        }
        if (budget.seconds > 0 && secondsSince(start) >= budget.seconds) {
            out.endReason = "time budget reached";
            break;
        }
        Trial trial;
        trial.number = static_cast<int64_t>(record.trials.size());
        Rng rng = Rng(record.seed).derive(static_cast<uint64_t>(trial.number) + 1);
        std::optional<std::vector<ParamValue>> values =
            strategy->suggest(record.space, record.trials, rng);
        if (!values) {
            out.endReason = "every grid combination was tried";
            break;
        }
        trial.values = std::move(*values);
        if (callbacks.trialStarted) callbacks.trialStarted(trial);
        // The time budget stops a trial still running when it runs out.
        std::atomic<bool> trialDone{false};
        std::thread timer;
        if (budget.seconds > 0) {
            const double left = budget.seconds - secondsSince(start);
            timer = std::thread([&control, &trialDone, left] {
                const auto until = Clock::now() + std::chrono::duration<double>(left);
                while (!trialDone.load() && Clock::now() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                if (!trialDone.load()) control.stop();
            });
        }
        const bool kept =
            runTrial(project, record.space, trial, record.trials, data, control, callbacks);
        trialDone.store(true);
        if (timer.joinable()) timer.join();
        if (!kept) {
            out.endReason = budget.seconds > 0 && secondsSince(start) >= budget.seconds
                                ? "time budget reached (the running trial was stopped)"
                                : "stopped";
            break;
        }
        record.trials.push_back(trial);
        if (persist) persist(record);
        if (callbacks.trialEnded) callbacks.trialEnded(trial);
    }
    out.trials = std::move(record.trials);
    return out;
}

Project applyBestTrial(const Project& project, const SearchRecord& record) {
    const Trial* best = bestTrial(record.trials, record.space.maximize);
    if (!best) throw Error("no trial of the search finished: nothing to apply");
    return applyBestValues(project, record.space, best->values);
}

}  // namespace netloom::engine
