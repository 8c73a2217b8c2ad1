#pragma once
// The editor's port rules are the engine's (engine/graph/ports.h); these names keep the UI's
// callers short.
#include "engine/graph/ports.h"

namespace netloom::ui {

using engine::connectionProblem;
using engine::effectiveParams;
using engine::freeInputPorts;
using engine::inputPortName;
using engine::maxInputPorts;
using engine::outputPortName;
using engine::outputPorts;
using engine::replaceableFeed;
using engine::visibleInputPorts;

}  // namespace netloom::ui
