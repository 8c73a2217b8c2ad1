#include "engine/train/lr_schedule_hook.h"

#include "engine/core/error.h"

namespace netloom::engine {

void LrScheduleHook::onRunStart(const RunEvent& started, TrainingRecipe&) {
    m_run = {m_epochs, started.stepsPerEpoch};
    // A resumed run: the rate the checkpoint restored tells whether a manual change had scaled
    // the schedule (it is compared with the unscaled rate of the last step run).
    m_lastSet = started.step > 0 ? scheduledRate(m_schedule, m_base, started.step - 1, m_run) : 0.0;
    m_scale = 1.0;
    const std::string problem =
        lrScheduleProblem(m_schedule, m_base, m_epochs, started.stepsPerEpoch, "training.schedule");
    if (!problem.empty()) throw Error(problem);
}

void LrScheduleHook::onStepStart(int64_t step, TrainingRecipe& recipe) {
    const double now = recipe.learningRate();
    // Someone else changed the rate since our last step: rescale the schedule around it.
    if (m_lastSet > 0 && now > 0 && now != m_lastSet) m_scale *= now / m_lastSet;
    // `step` is 1-based (the step about to run); the schedule counts steps done.
    m_lastSet = m_scale * scheduledRate(m_schedule, m_base, step - 1, m_run);
    recipe.setLearningRate(m_lastSet);
}

}  // namespace netloom::engine
