#pragma once
// Early stopping's bookkeeping (TrainingConfig::earlyStopping): the epoch with the lowest
// validation loss so far and its weights. A NaN loss never counts as an improvement.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "engine/project/project.h"

namespace netloom::engine {

struct BestEpoch {
    int64_t epoch = 0;
    double loss = std::numeric_limits<double>::infinity();
    std::shared_ptr<const WeightSet> weights;

    void offer(int64_t e, double validationLoss, std::shared_ptr<const WeightSet> w) {
        if (std::isnan(validationLoss)) validationLoss = std::numeric_limits<double>::infinity();
        if (weights && !(validationLoss < loss)) return;
        epoch = e;
        loss = validationLoss;
        weights = std::move(w);
    }

    // "Kept the weights of epoch 6 (lowest validation loss, 0.2361); stopped early after
    // epoch 8 of 15."
    std::string note(size_t epochsRun, int64_t epochsPlanned) const {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.4f", loss);
        std::string s = "Kept the weights of epoch " + std::to_string(epoch) +
                        " (lowest validation loss, " + buf + ")";
        if (static_cast<int64_t>(epochsRun) < epochsPlanned)
            s += "; stopped early after epoch " + std::to_string(epochsRun) + " of " +
                 std::to_string(epochsPlanned);
        return s + ".";
    }
};

}  // namespace netloom::engine
