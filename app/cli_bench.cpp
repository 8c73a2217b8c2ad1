// `netloom bench`: see bench/ and docs/performance.md. Filled in by the engine-speed work.
#include "app/cli.h"

namespace netloom::app {

int runBench(const std::vector<std::string>&) {
    return fail("netloom bench is not available in this build yet");
}

}  // namespace netloom::app
