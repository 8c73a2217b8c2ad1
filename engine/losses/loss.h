#pragma once
// Losses take the network output {N, ...} and a target, return the mean loss over the batch and
// write d(loss)/d(output) into grad (sized like output). One file per loss; losses/registry.cpp
// lists them.
#include <memory>
#include <string>
#include <vector>

#include "engine/core/tensor.h"

namespace netloom::engine {

class Loss {
public:
    virtual ~Loss() = default;
    // target: for "cross_entropy" the class index per sample as float {N} (or {N,1});
    // for the others a tensor with output's element count. grad is resized to output's dims.
    // Throws Error on a bad label or mismatched element counts. Does not allocate once grad
    // has been sized by a first call.
    virtual float compute(const Tensor& output, const Tensor& target, Tensor& grad) = 0;
};

struct LossInfo {
    std::string id;           // stable id in project files: "cross_entropy"
    std::string displayName;  // "Softmax cross-entropy"
    std::string description;
    bool classLabels;  // target is a class index (true) or a tensor like the output (false)
    bool probabilities = false;  // output must lie in [0,1] (e.g. after a Sigmoid): "bce"
};

const std::vector<LossInfo>& allLosses();
const LossInfo* findLoss(const std::string& id);           // nullptr when unknown
std::unique_ptr<Loss> createLoss(const std::string& id);  // throws Error listing the valid ids

}  // namespace netloom::engine
