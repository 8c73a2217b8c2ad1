#pragma once
#include <string>

namespace netloom::app {

// Path of a sample project: $NETLOOM_SAMPLES_DIR, then samples/ beside the build tree's
// binary (../../samples), then the source tree the binary was built from. Throws Error.
std::string findSample(const std::string& fileName);

}  // namespace netloom::app
