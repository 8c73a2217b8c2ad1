#pragma once
// Internal to engine/losses: helpers shared by the loss files and the factories registry.cpp lists.
#include <memory>
#include <string>

#include "engine/core/tensor.h"
#include "engine/losses/loss.h"

namespace netloom::engine::lossimpl {

// "4×10" for a tensor's dims ("scalar" for rank 0).
std::string dimsText(const Tensor& t);
// A float as a user reads it: "2", "2.5", "nan".
std::string valueText(float v);
// Sizes grad like output; only touches grad when its dims differ (so no allocation per call).
void prepareGrad(const Tensor& output, Tensor& grad);
// Throws Error naming the loss and both shapes when the element counts differ or are zero.
void checkSameCount(const char* lossId, const Tensor& output, const Tensor& target);

std::unique_ptr<Loss> makeCrossEntropy();
std::unique_ptr<Loss> makeBceWithLogits();
std::unique_ptr<Loss> makeBce();
std::unique_ptr<Loss> makeMse();
std::unique_ptr<Loss> makeL1();

}  // namespace netloom::engine::lossimpl
