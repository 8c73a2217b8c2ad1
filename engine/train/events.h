#pragma once
// Trainer's event: RunEvent (run_event.h) seen with the supervised tasks' figures as fields,
// for the code written against it (toTrainingEvent converts). Plain values only, like RunEvent.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "engine/train/run_event.h"

namespace netloom::engine {

struct TrainingEvent {
    // Paused: the trainer paused itself (a NaN/Inf loss, see Trainer::setPauseOnNonFinite);
    // message says where and what to do.
    enum class Kind { Started, Batch, Epoch, Finished, Stopped, Failed, Paused };
    Kind kind = Kind::Batch;
    int64_t epoch = 0;  // 1-based
    int64_t epochs = 0;
    int64_t batch = 0;  // 1-based within the epoch
    int64_t batchesPerEpoch = 0;
    int64_t step = 0;     // global batch counter over the run
    double loss = 0;      // this batch (Batch) or the epoch mean (Epoch)
    double accuracy = 0;  // this batch / epoch mean; NaN when not classifying
    double samplesPerSecond = 0;
    double elapsedSeconds = 0;
    EpochRecord record;     // Epoch: the epoch's figures, as saved in the run history
    EvalResult validation;  // Epoch: on the validation set (or test set without a split)
    EvalResult test;        // Finished: on the test set
    // Epoch: a copy of the model's weights after the epoch, for live evaluation views (the
    // GUI's gallery and decision regions). Shared and read-only, so copying events stays cheap.
    // Batch: the same, on every n-th step when Trainer::setSnapshotEveryBatches(n) asked for it.
    std::shared_ptr<const WeightSet> weights;
    // Failed/Stopped/Paused: what happened, for the user. Started: which layers start from
    // fresh weights (added or changed since the weights were trained), or empty.
    std::string message;
};

// The supervised view of a run event ("loss", "accuracy" and the "model" weights).
TrainingEvent toTrainingEvent(const RunEvent& e);

}  // namespace netloom::engine
