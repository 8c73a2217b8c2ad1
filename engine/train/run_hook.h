#pragma once
// Hooks: small objects the run skeleton (run_loop.h) calls at fixed points of every run,
// whatever its task. Early stopping, the mid-run learning-rate change and the loss-explosion
// watch are hooks; learning-rate schedules, checkpoints and search pruning plug in the same
// way. Hooks run on the training thread, a few virtual calls per step (never per element).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/train/recipe.h"
#include "engine/train/run_event.h"

namespace netloom::engine {

// What a hook asks of the run after a step or an epoch.
struct HookVerdict {
    enum class Action { Continue, Pause, Finish };
    Action action = Action::Continue;
    // Pause: why, for the user (sent as the Paused event's message).
    std::string message;

    static HookVerdict proceed() { return {}; }
    static HookVerdict pause(std::string why) { return {Action::Pause, std::move(why)}; }
    // Ends the run as finished (not stopped), e.g. early stopping.
    static HookVerdict finish() { return {Action::Finish, {}}; }
};

class RunHook {
public:
    virtual ~RunHook() = default;
    virtual void onRunStart(const RunEvent& started, TrainingRecipe& recipe) {}
    // Before each step (also the first step after a pause), e.g. to change the learning rate.
    virtual void onStepStart(int64_t step, TrainingRecipe& recipe) {}
    virtual HookVerdict onStepEnd(const RunEvent& ev, TrainingRecipe& recipe) { return {}; }
    // After the Epoch event went out; ev.record is what the run history keeps.
    virtual HookVerdict onEpochEnd(const RunEvent& ev, TrainingRecipe& recipe) { return {}; }
    // Before the final evaluation (not called when the run failed): a hook may load other
    // weights and set record.message (the Finished event carries it).
    virtual void onRunEnd(bool stopped, RunRecord& record, TrainingRecipe& recipe) {}

    // Checkpoints (checkpoint.h): a hook whose state a resumed run needs (early stopping's best
    // epoch and patience) writes it into a checkpoint being taken, and reads it back when the
    // run resumes (after the recipe loaded the checkpoint, before onRunStart).
    virtual void saveState(Checkpoint& c) const {}
    virtual void restoreState(const Checkpoint& c) {}
    // A hook that takes checkpoints says so: the skeleton calls its onEpochEnd after every other
    // hook's, so their saved state is that of the epoch just ended, and gives it the run's hooks
    // (all of them, itself included) before onRunStart.
    virtual bool takesCheckpoints() const { return false; }
    virtual void setPeers(const std::vector<const RunHook*>& hooks) {}
};

}  // namespace netloom::engine
