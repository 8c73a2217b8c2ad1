#pragma once
// Applies the run's learning-rate schedule (optim/lr_schedule.h) before every step.
//
// With a manual change (LearningRateChange, the window's mid-run box): the change SCALES the
// schedule. The hook notices that the optimizer's rate is no longer the one it set last, and
// from then on multiplies the schedule by (asked rate / the rate it had set), so the schedule
// keeps its shape (a cosine still anneals, a step still decays) around the level the user
// chose. This works whichever order the two hooks run in.
#include <cstdint>

#include "engine/optim/lr_schedule.h"
#include "engine/train/run_hook.h"

namespace netloom::engine {

class LrScheduleHook final : public RunHook {
public:
    // baseLr: the optimizer's learning rate (the schedule's base).
    LrScheduleHook(LrScheduleConfig schedule, double baseLr, int64_t epochs)
        : m_schedule(std::move(schedule)), m_base(baseLr), m_epochs(epochs) {}

    // Checks the schedule against the run's length now that the steps per epoch are known;
    // throws Error naming the setting (the run fails before its first step).
    void onRunStart(const RunEvent& started, TrainingRecipe& recipe) override;
    void onStepStart(int64_t step, TrainingRecipe& recipe) override;

    double scale() const { return m_scale; }

private:
    LrScheduleConfig m_schedule;
    double m_base;
    int64_t m_epochs;
    RunLength m_run;
    double m_scale = 1.0;
    double m_lastSet = 0.0;  // the rate this hook set before the last step (0: none yet)
};

}  // namespace netloom::engine
