#include "engine/train/checkpoint_hook.h"

#include "engine/core/error.h"

namespace netloom::engine {

CheckpointHook::CheckpointHook(CheckpointConfig config, Save save, const Checkpoint* resumedFrom)
    : m_config(std::move(config)), m_save(std::move(save)) {
    if (!resumedFrom) return;
    m_run = resumedFrom->run;
    // The best so far is the best of the epochs already run.
    for (const EpochRecord& e : m_run.epochs) {
        const double v = m_config.best == "val_accuracy" ? e.valAccuracy : e.valLoss;
        if (std::isfinite(v) && better(v)) m_best = v;
    }
}

void CheckpointHook::onRunStart(const RunEvent&, TrainingRecipe& recipe) {
    if (!recipe.canCheckpoint())
        throw Error("training.checkpoints: this task cannot take checkpoints yet (" +
                    recipe.config().task + ")");
    m_run.config = recipe.config();
    m_run.status = "unfinished";
}

bool CheckpointHook::better(double value) const {
    if (std::isnan(m_best)) return true;
    return m_config.best == "val_accuracy" ? value > m_best : value < m_best;
}

HookVerdict CheckpointHook::onEpochEnd(const RunEvent& ev, TrainingRecipe& recipe) {
    m_run.epochs.push_back(ev.record);
    const bool periodic = m_config.every > 0 && ev.epoch % m_config.every == 0;
    bool best = false;
    double value = 0;
    if (m_config.best != "none") {
        value = m_config.best == "val_accuracy" ? ev.record.valAccuracy : ev.record.valLoss;
        best = std::isfinite(value) && better(value);
        if (best) m_best = value;
    }
    if (!periodic && !best) return HookVerdict::proceed();
    Checkpoint c;
    recipe.saveCheckpoint(c);
    c.epoch = ev.epoch;
    c.step = ev.step;
    c.stepsPerEpoch = ev.stepsPerEpoch;
    c.run = m_run;
    c.periodic = periodic;
    c.best = best;
    c.bestValue = value;
    for (const RunHook* h : m_peers)
        if (h != this) h->saveState(c);
    m_save(c);
    ++m_saved;
    return HookVerdict::proceed();
}

}  // namespace netloom::engine
