#include "engine/train/standard_hooks.h"

#include <cmath>
#include <cstdio>

#include "engine/core/error.h"
#include "engine/train/lr_schedule_hook.h"

namespace netloom::engine {

void LossWatch::reset() {
    m_sum = 0;
    m_count = 0;
    m_fired = false;
}

std::string LossWatch::check(const RunEvent& ev) {
    if (ev.kind != RunEvent::Kind::Step || !ev.metrics.has("loss")) return {};
    return check(ev.epoch, ev.stepInEpoch, ev.step, ev.metrics.get("loss"));
}

std::string LossWatch::check(int64_t epoch, int64_t stepInEpoch, int64_t step, double loss) {
    if (m_fired) return {};
    if (m_count < kReferenceBatches) {
        if (std::isfinite(loss) && loss >= 0) {
            m_sum += loss;
            ++m_count;
        }
        return {};
    }
    const double ref = reference();
    if (ref <= 0 || !(loss > m_factor * ref)) return {};
    m_fired = true;
    char text[400];
    std::snprintf(text, sizeof text,
                  "The loss exploded at epoch %lld, batch %lld (step %lld): %.4g, more than "
                  "%.4g times the mean of the first batches (%.4g). The run is paused: lower the "
                  "learning rate and resume, or stop and reset the weights.",
                  static_cast<long long>(epoch), static_cast<long long>(stepInEpoch),
                  static_cast<long long>(step), loss, m_factor, ref);
    return text;
}

void EarlyStopping::saveState(Checkpoint& c) const {
    EarlyStoppingState& s = c.earlyStopping;
    s = {};
    if (!m_best.weights) return;  // no epoch offered yet
    s.present = true;
    s.bestEpoch = m_best.epoch;
    s.bestLoss = m_best.loss;
    s.epochsWithoutImprovement = epochsWithoutImprovement();
    s.bestWeights = *m_best.weights;
}

void EarlyStopping::restoreState(const Checkpoint& c) {
    const EarlyStoppingState& s = c.earlyStopping;
    m_lastEpoch = c.epoch;
    // A checkpoint without it (early stopping was off then): the patience counts from here.
    if (!s.present) return;
    if (s.bestEpoch < 1 || s.bestEpoch > c.epoch ||
        s.epochsWithoutImprovement != c.epoch - s.bestEpoch)
        throw Error("the checkpoint's early stopping state does not fit its epoch " +
                    std::to_string(c.epoch) + " (best epoch " + std::to_string(s.bestEpoch) + ", " +
                    std::to_string(s.epochsWithoutImprovement) + " epochs without improvement)");
    m_best.epoch = s.bestEpoch;
    m_best.loss = s.bestLoss;
    m_best.weights = std::make_shared<const WeightSet>(s.bestWeights);
}

std::vector<std::shared_ptr<RunHook>> hooksFromSettings(const TrainingRecipe& recipe) {
    std::vector<std::shared_ptr<RunHook>> hooks;
    const TrainingConfig& c = recipe.config();
    if (c.earlyStopping > 0 && recipe.validates())
        hooks.push_back(std::make_shared<EarlyStopping>(c.earlyStopping, c.epochs));
    if (c.schedule.active())
        hooks.push_back(std::make_shared<LrScheduleHook>(c.schedule, c.optimizer.lr, c.epochs));
    return hooks;
}

}  // namespace netloom::engine
