#pragma once
// A run record (settings and epochs) as the project file's "history" holds it; checkpoints
// (checkpoint_store.h) reuse it for the run so far.
#include <nlohmann/json.hpp>

#include "engine/io/json_read.h"
#include "engine/project/project.h"

namespace netloom::engine {

nlohmann::ordered_json runRecordToJson(const RunRecord& run);
RunRecord runRecordFromJson(const JsonCursor& cursor);

}  // namespace netloom::engine
