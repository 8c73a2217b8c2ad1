// AdamW as torch.optim.AdamW (amsgrad off): Adam's update (adam.cpp) with the weight decay
// decoupled from the gradient, w ← w − lr·wd·w before the Adam step.
#include "engine/optim/optimizer_impl.h"

namespace netloom::engine::optimimpl {
namespace {

class AdamwDef final : public OptimizerDef {
public:
    std::string id() const override { return "adamw"; }
    std::string displayName() const override { return "AdamW"; }
    std::string description() const override {
        return "Adam with decoupled weight decay (torch.optim.AdamW).";
    }
    std::vector<std::string> uses() const override {
        return {"beta1", "beta2", "eps", "weight_decay"};
    }
    std::unique_ptr<Optimizer> create(const OptimizerConfig& c) const override {
        return makeAdam(c, true);
    }
};

}  // namespace

const OptimizerDef& adamwOptimizerDef() {
    static const AdamwDef def;
    return def;
}

}  // namespace netloom::engine::optimimpl
