#pragma once
// Format versions of the project file. A document is parsed into JSON, its "version" read, and
// migrateProject() rewrites it step by step (v1 → v2 → ... → kProjectVersion) before the
// current reader sees it, so the reader only ever knows the current format.
//
// Version 1 is the first released format; version 2 added per-node "frozen" and
// "lr_multiplier" (optional, so a version 1 node reads unchanged) and each network's "groups"
// (the editor's named node groups), which a version 1 file gets as an empty list; version 3 the
// optional "search" section (the project's hyperparameter search), absent in older files. Version 0
// (or no version at all) never existed in a release; such files are refused, not guessed at.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace netloom::engine {

inline constexpr int kOldestProjectVersion = 1;

// Upgrades `doc` in place from `fromVersion` to kProjectVersion. Throws netloom::Error with a
// reason (no file name, the caller adds where) when `fromVersion` cannot be read.
void migrateProject(nlohmann::json& doc, int64_t fromVersion);

}  // namespace netloom::engine
