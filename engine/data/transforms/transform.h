#pragma once
// Per-batch transforms: they change a training batch's input (never its target, never a
// validation or test batch) just before the network sees it. Each kind is one file in this
// folder plus one line in registry.cpp; a transform is seeded and deterministic (the same seed
// and the same batches give the same values). Transforms run on the batch source's helper
// thread: plain loops only, never oneDNN.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/rng.h"
#include "engine/core/tensor.h"

namespace netloom::engine {

class BatchTransform {
public:
    virtual ~BatchTransform() = default;
    virtual std::string name() const = 0;
    // Changes x {N, sample...} in place; draws from the transform's own generator.
    virtual void transform(Tensor& x) = 0;
    // The transform's own generator (null for one that draws nothing): a checkpoint saves its
    // state so a resumed run draws what the uninterrupted one would have drawn.
    virtual Rng* generator() { return nullptr; }
};

// A transform by registry name and parameters ({"stddev", 0.3}).
struct TransformSpec {
    std::string name;
    std::map<std::string, double> params;
    bool operator==(const TransformSpec&) const = default;
};

// The transforms of a run, applied in order. Empty: the network sees the batch as loaded.
class TransformChain {
public:
    TransformChain() = default;
    // Creates each spec through the registry, seeded from runSeed and the kind's own salt.
    // Throws Error for an unknown name, an unknown parameter or a value out of range.
    TransformChain(const std::vector<TransformSpec>& specs, uint64_t runSeed);

    void add(std::unique_ptr<BatchTransform> t) { m_transforms.push_back(std::move(t)); }
    bool empty() const { return m_transforms.empty(); }
    size_t size() const { return m_transforms.size(); }
    void apply(Tensor& x) {
        for (auto& t : m_transforms) t->transform(x);
    }
    // The generators' states in chain order, as text (transform_state.cpp): checkpoints save
    // them at an epoch's end. restoreGeneratorStates() throws Error when the list does not fit
    // this chain (another augmentation setting) or a state is damaged.
    std::vector<std::string> generatorStates() const;
    void restoreGeneratorStates(const std::vector<std::string>& states);

private:
    std::vector<std::unique_ptr<BatchTransform>> m_transforms;
};

}  // namespace netloom::engine
