#pragma once
// Watches a run's batch losses for an explosion: a loss more than `factor` times the mean of the
// run's first batches (the reference). A NaN or infinite loss the engine catches itself (it
// pauses and rolls back, Trainer::setPauseOnNonFinite); an exploding but still finite loss is
// caught here, so the window can pause the run while the weights are still usable.
#include <cstdint>
#include <string>

#include "engine/train/events.h"

namespace netloom::ui {

class LossWatch {
public:
    static constexpr double kDefaultFactor = 1000.0;
    static constexpr int kReferenceBatches = 10;

    explicit LossWatch(double factor = kDefaultFactor) : m_factor(factor) {}
    void setFactor(double factor) { m_factor = factor; }
    double factor() const { return m_factor; }
    // Forgets the reference (a new run).
    void reset();

    // Feeds one batch event; returns a message for the user when this batch's loss exploded
    // (empty otherwise). Fires at most once per run: after a resume the user decides.
    std::string check(const engine::TrainingEvent& batch);

    double reference() const { return m_count > 0 ? m_sum / m_count : 0.0; }

private:
    double m_factor;
    double m_sum = 0;
    int m_count = 0;
    bool m_fired = false;
};

}  // namespace netloom::ui
