#include "engine/core/compute.h"

#include <omp.h>
#include <pmmintrin.h>
#include <xmmintrin.h>

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

}  // namespace netloom::engine
