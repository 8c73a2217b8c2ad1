#pragma once
// A search space as JSON (the layout of docs/search.md), shared by space files
// (search/search_space.h), the trials file (search/trial_store.h) and the project file's
// "search" section, which adds the strategy and the budget:
//
//   "search": {"strategy": "tpe", "trials": 30, "seconds": 0, "space": {<a space file>}}
//
// Reading checks the shape (types, known enum words) and throws Error with the JSON path;
// whether the settings and layers exist is validateSpace()'s job (search/search_space.h).
#include <nlohmann/json.hpp>

#include "engine/io/json_read.h"
#include "engine/project/search_config.h"

namespace netloom::engine {

SearchSpace searchSpaceFromJson(const JsonCursor& cursor);
nlohmann::ordered_json searchSpaceToJson(const SearchSpace& space);

ProjectSearch projectSearchFromJson(const JsonCursor& cursor);
nlohmann::ordered_json projectSearchToJson(const ProjectSearch& search);

}  // namespace netloom::engine
