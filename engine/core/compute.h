#pragma once
// One oneDNN engine and stream per trainer (or per prediction session). Layers keep a pointer to
// it from Layer::prepare(). oneDNN's default scratchpad is thread-local: every primitive must be
// created and executed on the thread that owns this context (see ../shared/NOTES.md).
#include <dnnl.hpp>

#include "engine/core/rng.h"

namespace netloom::engine {

// Sets flush-to-zero and denormals-are-zero on the calling thread and its OpenMP team.
// Saturated sigmoids and decaying gradients produce denormal floats, and each arithmetic
// operation on one costs ~100 cycles: an autoencoder's loss took longer than all its layers.
// Values below 1.2e-38 becoming 0 changes no result that matters (PyTorch offers the same switch
// as torch.set_flush_denormal).
void flushDenormalsOnComputeThreads();

struct ComputeContext {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    Rng rng{0};  // for stochastic layers (dropout); seeded by the trainer

    explicit ComputeContext(uint64_t seed = 0) : rng(seed) { flushDenormalsOnComputeThreads(); }
};

}  // namespace netloom::engine
