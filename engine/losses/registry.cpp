// The one list of losses. The training settings, the project file and the gradient-check test
// iterate it, so adding a loss is one file plus one entry here.
#include <sstream>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "engine/losses/loss.h"
#include "engine/losses/loss_impl.h"

namespace netloom::engine {
namespace {

struct Entry {
    LossInfo info;
    std::unique_ptr<Loss> (*make)();
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> list = {
        {{"cross_entropy", "Softmax cross-entropy",
          "Classification: softmax over the logits fused with the negative log-likelihood of "
          "the class index (PyTorch's CrossEntropyLoss). Do not add a Softmax layer.",
          true, false},
         &lossimpl::makeCrossEntropy},
        {{"bce_logits", "Binary cross-entropy with logits",
          "Binary or multi-label targets in [0,1] on raw logits; numerically stable "
          "(PyTorch's BCEWithLogitsLoss). Use for GAN discriminators.",
          false, false},
         &lossimpl::makeBceWithLogits},
        {{"bce", "Binary cross-entropy",
          "Targets in [0,1] on probabilities: end the network with a Sigmoid (PyTorch's "
          "BCELoss, logs clamped at -100). Typical for autoencoders on images.",
          false, true},
         &lossimpl::makeBce},
        {{"mse", "Mean squared error",
          "Regression and reconstruction: mean of (output - target)^2 over all values.", false,
          false},
         &lossimpl::makeMse},
        {{"l1", "Mean absolute error (L1)",
          "Regression robust to outliers: mean of |output - target| over all values.", false,
          false},
         &lossimpl::makeL1},
    };
    return list;
}

}  // namespace

const std::vector<LossInfo>& allLosses() {
    static const std::vector<LossInfo> infos = [] {
        std::vector<LossInfo> v;
        for (const Entry& e : entries()) v.push_back(e.info);
        return v;
    }();
    return infos;
}

const LossInfo* findLoss(const std::string& id) {
    for (const LossInfo& info : allLosses())
        if (info.id == id) return &info;
    return nullptr;
}

std::unique_ptr<Loss> createLoss(const std::string& id) {
    for (const Entry& e : entries())
        if (e.info.id == id) return e.make();
    std::string valid;
    for (const Entry& e : entries()) valid += (valid.empty() ? "" : ", ") + e.info.id;
    throw Error("unknown loss '" + id + "'; valid losses: " + valid);
}

namespace lossimpl {

std::string dimsText(const Tensor& t) {
    return Shape(t.dims()).toString();
}

std::string valueText(float v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

void prepareGrad(const Tensor& output, Tensor& grad) {
    if (grad.dims() != output.dims()) grad.resize(output.dims());
}

void checkSameCount(const char* lossId, const Tensor& output, const Tensor& target) {
    if (output.size() == 0)
        throw Error(std::string(lossId) + ": the output " + dimsText(output) + " is empty");
    if (output.size() != target.size())
        throw Error(std::string(lossId) + ": the output " + dimsText(output) + " has " +
                    std::to_string(output.size()) + " values but the target " + dimsText(target) +
                    " has " + std::to_string(target.size()) +
                    "; they must match element for element");
}

}  // namespace lossimpl
}  // namespace netloom::engine
