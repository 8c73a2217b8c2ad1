#include "engine/search/project_search.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/search/search_space.h"
#include "engine/search/strategy.h"

namespace netloom::engine {

void validateProjectSearch(const Project& project) {
    if (!project.search) return;
    const ProjectSearch& s = *project.search;
    const std::string where = "the project's search section: ";
    if (!findStrategy(s.strategy))
        throw Error(where + "strategy must be one of " + strategyIds() + ", got '" + s.strategy +
                    "'");
    if (s.trials < 1)
        throw Error(where + "trials must be at least 1, got " + std::to_string(s.trials));
    if (!(s.seconds >= 0) || !std::isfinite(s.seconds))
        throw Error(where + "seconds must be 0 (no limit) or more");
    try {
        validateSpace(s.space, project);
    } catch (const std::exception& e) {
        throw Error(where + e.what());
    }
}

}  // namespace netloom::engine
