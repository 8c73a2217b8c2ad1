#pragma once
#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/losses/loss.h"
#include "engine/train/events.h"
#include "engine/model/model.h"

namespace netloom::engine {

// Task-specific pairing of a batch with its target: classes, regression targets or the input
// itself (reconstruction).

TargetKind targetKindFor(const std::string& task);

// Fills the loss target for a batch already in x/y (y = labels or targets from fillBatch).
const Tensor& lossTarget(TargetKind kind, const Tensor& x, const Tensor& y);

// Inference-mode pass over a whole dataset in batches of batchSize.
EvalResult evaluate(Model& model, const Dataset& data, Loss& loss, TargetKind kind,
                    int64_t batchSize = 256);

// Index of the largest value in each row of a {N, C} tensor.
int64_t argmaxRow(const Tensor& t, int64_t row);

}  // namespace netloom::engine
