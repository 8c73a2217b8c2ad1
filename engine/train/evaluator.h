#pragma once
#include "engine/core/row_math.h"  // argmaxRow
#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/infer/inference_session.h"
#include "engine/losses/loss.h"
#include "engine/model/model.h"
#include "engine/train/run_event.h"

namespace netloom::engine {

// Task-specific pairing of a batch with its target: classes, regression targets or the input
// itself (reconstruction).

// Fills the loss target for a batch already in x/y (y = labels or targets from fillBatch).
const Tensor& lossTarget(TargetKind kind, const Tensor& x, const Tensor& y);

// Inference-mode pass over a whole dataset in batches of batchSize, through an inference
// session on the model (its thread): mean loss, and accuracy and confusion for class labels.
EvalResult evaluate(Model& model, const Dataset& data, Loss& loss, TargetKind kind,
                    int64_t batchSize = 256);
// The same through a session (its chunk is the batch size): trained weights outside a run.
EvalResult evaluate(InferenceSession& session, const Dataset& data, Loss& loss);

}  // namespace netloom::engine
