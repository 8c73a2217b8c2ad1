#pragma once
// The project file's "training" and "dataset" sections, read and written from the settings
// schema (engine/settings/settings.h): one loop, no field written by hand. Key order, value
// types and optional objects are those of file format version 1 (docs/project-format.md).
#include <nlohmann/json.hpp>

#include "engine/io/json_read.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

// Throws Error "cannot save: training.batch_size must be between 1 and 65536, got 0" for a
// value the reader would refuse.
void settingsToJson(const TrainingConfig& config, nlohmann::ordered_json& training,
                    nlohmann::ordered_json& dataset);

// Fills `config` from the sections that are present (either may be null); missing keys keep
// their defaults, unknown keys are ignored. Fails at the value's path: "<source>: at
// /training/batch_size: must be between 1 and 65536, got 0".
void settingsFromJson(const JsonCursor* training, const JsonCursor* dataset,
                      TrainingConfig& config);

}  // namespace netloom::engine
