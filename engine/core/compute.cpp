#include "engine/core/compute.h"

#include <dnnl.hpp>

#include <omp.h>
#include <pmmintrin.h>
#include <xmmintrin.h>

#include "engine/core/dnnl_context.h"

namespace netloom::engine {

void flushDenormalsOnComputeThreads() {
    auto set = [] {
        _MM_SET_FLUSH_ZERO_MODE(_MM_FLUSH_ZERO_ON);
        _MM_SET_DENORMALS_ZERO_MODE(_MM_DENORMALS_ZERO_ON);
    };
    set();
    // MXCSR is per thread: set it on every thread of the team the layers and loops will use.
#pragma omp parallel
    set();
}

ComputeContext::ComputeContext(uint64_t seed) : rng(seed), m_dnnl(std::make_unique<Dnnl>()) {
    flushDenormalsOnComputeThreads();
}

ComputeContext::~ComputeContext() = default;

std::string computeLibraryVersion() {
    const dnnl_version_t* v = dnnl_version();
    return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch);
}

}  // namespace netloom::engine
