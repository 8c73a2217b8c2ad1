#pragma once
// Takes checkpoints (checkpoint.h) at epoch ends: every N epochs and/or when the epoch is the
// best so far by a validation figure (TrainingConfig::checkpoints). Where they go is the
// caller's: engine/io/checkpoint_store.h writes them next to the project file (the window and
// `netloom train` add this hook with a store; the engine below io knows no files).
#include <cmath>
#include <functional>
#include <vector>

#include "engine/train/checkpoint.h"
#include "engine/train/run_hook.h"

namespace netloom::engine {

class CheckpointHook final : public RunHook {
public:
    using Save = std::function<void(const Checkpoint&)>;
    // resumedFrom: the checkpoint this run continues (its epochs start the history and its best
    // figure is the one to beat); null for a new run.
    CheckpointHook(CheckpointConfig config, Save save, const Checkpoint* resumedFrom = nullptr);

    void onRunStart(const RunEvent& started, TrainingRecipe& recipe) override;
    HookVerdict onEpochEnd(const RunEvent& ev, TrainingRecipe& recipe) override;
    bool takesCheckpoints() const override { return true; }
    void setPeers(const std::vector<const RunHook*>& hooks) override { m_peers = hooks; }

    int saved() const { return m_saved; }

private:
    // Whether `value` beats the best so far (lower loss, higher accuracy).
    bool better(double value) const;

    CheckpointConfig m_config;
    Save m_save;
    RunRecord m_run;  // the settings and the epochs so far
    double m_best = std::nan("");
    int m_saved = 0;
    std::vector<const RunHook*> m_peers;  // their saveState() goes into each checkpoint
};

}  // namespace netloom::engine
