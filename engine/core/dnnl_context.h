#pragma once
// The oneDNN side of ComputeContext, for engine code that creates and runs primitives (layers).
// Nothing outside engine/ includes <dnnl.hpp>: tools/check_layering.sh checks it.
#include <dnnl.hpp>

#include "engine/core/compute.h"

namespace netloom::engine {

struct ComputeContext::Dnnl {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
};

}  // namespace netloom::engine
