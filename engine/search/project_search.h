#pragma once
// The search kept in a project file (Project::search, its "search" section): checked when the
// project is opened (the window) or searched (`netloom search FILE`) with the same refusals as
// a space file on the command line (validateSpace), plus its strategy and budget.
#include "engine/project/project.h"

namespace netloom::engine {

// Nothing when the project has no search; otherwise throws Error naming the section and what is
// wrong: "the project's search section: search parameter 'optimizer.lr': the log range
// [0, 0.1] touches 0 (a log scale needs low > 0)".
void validateProjectSearch(const Project& project);

}  // namespace netloom::engine
