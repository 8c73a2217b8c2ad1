#include "ui/training/loss_watch.h"

#include <cmath>
#include <cstdio>

namespace netloom::ui {

void LossWatch::reset() {
    m_sum = 0;
    m_count = 0;
    m_fired = false;
}

std::string LossWatch::check(const engine::TrainingEvent& ev) {
    if (m_fired || ev.kind != engine::TrainingEvent::Kind::Batch) return {};
    const double loss = ev.loss;
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
                  static_cast<long long>(ev.epoch), static_cast<long long>(ev.batch),
                  static_cast<long long>(ev.step), loss, m_factor, ref);
    return text;
}

}  // namespace netloom::ui
