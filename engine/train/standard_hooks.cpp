#include "engine/train/standard_hooks.h"

#include <cmath>
#include <cstdio>

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
