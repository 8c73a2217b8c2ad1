#pragma once
// What a hyperparameter search varies and what it optimises. A dimension is either a training
// setting from the one settings schema (engine/settings: "optimizer.lr", "batch_size") or a
// layer parameter named by node and parameter ("fc1" + "units"), with a float, int (both
// optionally log-scaled) or categorical range. A space file is JSON (docs/search.md):
//
//   {"metric": "val_accuracy", "direction": "maximize",
//    "fixed": {"epochs": 2, "dataset.limit_train": 12000, "validation_split": 0.2},
//    "pruner": {"type": "median", "startup_trials": 5, "warmup_epochs": 0},
//    "grid_points": 3,
//    "parameters": [
//      {"setting": "optimizer.lr", "type": "float", "low": 1e-4, "high": 0.1, "log": true},
//      {"node": "fc1", "param": "units", "type": "int", "low": 32, "high": 512, "log": true},
//      {"setting": "optimizer", "type": "categorical", "choices": ["adam", "sgd"]}]}
//
// The structs are in engine/project/search_config.h (a project file can keep a search), their
// JSON in engine/io/search_space_json.h. validateSpace() refuses a bad space before anything
// runs, naming the dimension.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/layers/params.h"
#include "engine/project/project.h"
#include "engine/project/search_config.h"

namespace netloom::engine {

// Parses a space file's text; throws Error "<source>: at /parameters/1/low: ..." for malformed
// JSON. Meaning (known settings, sane ranges) is validateSpace()'s job.
SearchSpace searchSpaceFromText(const std::string& text, const std::string& sourceName);
SearchSpace readSearchSpace(const std::string& path);
std::string searchSpaceToText(const SearchSpace& space);

// Refuses a space that cannot run on this project, before anything runs: no dimension, an
// unknown setting, node or parameter, an empty or inverted range, a log range touching 0, a
// range outside what the setting or parameter accepts, a value of the wrong type, an unknown
// metric or pruner. Throws Error naming the dimension: "search parameter 'optimizer.lr': the
// log range [0, 0.1] touches 0".
void validateSpace(const SearchSpace& space, const Project& project);

// The project with the fixed settings and one trial's values applied (values in the order of
// space.dimensions). Throws Error naming the dimension when a value is refused.
Project applyTrialValues(const Project& project, const SearchSpace& space,
                         const std::vector<ParamValue>& values);
// The project with only the searched values applied (not the fixed trial settings): what
// "apply best trial" writes. Networks whose layer parameters changed lose their weights
// (they no longer fit).
Project applyBestValues(const Project& project, const SearchSpace& space,
                        const std::vector<ParamValue>& values);

// A figure of an epoch by name: "val_accuracy", "val_loss", "accuracy", "loss", or any name in
// EpochRecord::metrics. NaN when absent.
double searchMetric(const EpochRecord& record, const std::string& name);
bool isKnownSearchMetric(const std::string& name);

}  // namespace netloom::engine
