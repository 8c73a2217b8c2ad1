#pragma once
// One compute context per trainer (or per inference session): the oneDNN engine and stream, and
// the random stream of stochastic layers. Layers keep a pointer to it from Layer::prepare().
// oneDNN's default scratchpad is thread-local: every primitive must be created and executed on
// the thread that owns this context (see ../shared/NOTES.md). oneDNN itself stays behind
// engine/core/dnnl_context.h, which only engine/ code that runs primitives includes.
#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/rng.h"

namespace netloom::engine {

// Sets flush-to-zero and denormals-are-zero on the calling thread and its OpenMP team.
// Saturated sigmoids and decaying gradients produce denormal floats, and each arithmetic
// operation on one costs ~100 cycles: an autoencoder's loss took longer than all its layers.
// Values below 1.2e-38 becoming 0 changes no result that matters (PyTorch offers the same switch
// as torch.set_flush_denormal).
void flushDenormalsOnComputeThreads();

class ComputeContext {
public:
    explicit ComputeContext(uint64_t seed = 0);
    ~ComputeContext();
    ComputeContext(const ComputeContext&) = delete;
    ComputeContext& operator=(const ComputeContext&) = delete;

    Rng rng{0};  // for stochastic layers (dropout); seeded by the trainer

    struct Dnnl;  // defined in engine/core/dnnl_context.h
    Dnnl& dnnl() { return *m_dnnl; }

private:
    std::unique_ptr<Dnnl> m_dnnl;
};

// The oneDNN library's version, "2.6.3", for About boxes and reports.
std::string computeLibraryVersion();

}  // namespace netloom::engine
