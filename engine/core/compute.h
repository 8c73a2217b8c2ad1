#pragma once
// One oneDNN engine and stream per trainer (or per prediction session). Layers keep a pointer to
// it from Layer::prepare(). oneDNN's default scratchpad is thread-local: every primitive must be
// created and executed on the thread that owns this context (see ../shared/NOTES.md).
#include <dnnl.hpp>

#include "engine/core/rng.h"

namespace netloom::engine {

struct ComputeContext {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    Rng rng{0};  // for stochastic layers (dropout); seeded by the trainer

    explicit ComputeContext(uint64_t seed = 0) : rng(seed) {}
};

}  // namespace netloom::engine
