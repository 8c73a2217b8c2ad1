#pragma once
// Runs a hyperparameter search: asks the strategy for each trial's values, trains a copy of the
// project with them (fresh weights, the space's fixed settings, no checkpoints) through the
// task's recipe on the one run skeleton, records the search metric after every epoch, lets the
// median pruner stop hopeless trials, and hands the trials to `persist` after each one. Runs on
// the calling thread (which owns each trial's compute context); the budget is a trial count
// (in all, counting trials of earlier sessions) and/or wall time.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/search/search_space.h"
#include "engine/search/trial.h"
#include "engine/search/trial_store.h"
#include "engine/train/run_control.h"

namespace netloom::engine {

struct SearchBudget {
    int64_t trials = 20;  // the search ends once it holds this many trials (earlier ones count)
    double seconds = 0;   // 0 = no limit; else no trial starts after this much wall time, and a
                          // trial still running then is stopped and not kept
};

// Stop from any thread: ends the running trial (not kept) and the search.
class SearchControl {
public:
    void stop();
    bool stopped() const { return m_stopped.load(); }
    // The runner's: the control of the trial being trained.
    void setCurrent(RunControl* c);

private:
    std::atomic<bool> m_stopped{false};
    std::mutex m_mutex;
    RunControl* m_current = nullptr;
};

struct SearchCallbacks {
    std::function<void(const Trial&)> trialStarted;  // values and number set
    std::function<void(const Trial&)> epochEnded;    // the curve so far
    std::function<void(const Trial&)> trialEnded;    // finished, pruned or failed
};

struct SearchOutcome {
    std::vector<Trial> trials;  // earlier ones and this session's
    std::string endReason;      // "budget of 30 trials reached", "time budget...", "stopped", ...
};

// Validates the space (validateSpace) and the strategy id before anything runs (throws Error);
// then runs until the budget is used, the strategy has nothing left (an exhausted grid) or
// `control` stops it. `record` holds the space, strategy, seed and the trials so far; `persist`
// (may be empty) receives it after every trial.
SearchOutcome runSearch(const Project& project, SearchRecord record, const SearchBudget& budget,
                        SearchControl& control,
                        const std::function<void(const SearchRecord&)>& persist,
                        const SearchCallbacks& callbacks = {});

// The project with the best finished trial's values applied (applyBestValues); throws Error when
// no trial finished.
Project applyBestTrial(const Project& project, const SearchRecord& record);

}  // namespace netloom::engine
