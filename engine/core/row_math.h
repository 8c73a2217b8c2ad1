#pragma once
// Per-row helpers for {N, C} tensors: what reading a classifier's outputs needs.
#include <cstdint>

#include "engine/core/tensor.h"

namespace netloom::engine {

// Softmax over each row of {N, C} logits, in place (stable: the row maximum is subtracted).
void softmaxRows(Tensor& logits);

// Index of the largest value in row `row` of {N, C...} (the first one on ties).
int64_t argmaxRow(const Tensor& t, int64_t row);

}  // namespace netloom::engine
