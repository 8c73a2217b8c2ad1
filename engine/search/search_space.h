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
// validateSpace() refuses a bad space before anything runs, naming the dimension.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/layers/params.h"
#include "engine/project/project.h"

namespace netloom::engine {

struct SearchDimension {
    enum class Kind { Float, Int, Categorical };
    // Exactly one of `setting` (a settings-schema name) and `node` + `param` is set.
    std::string setting;
    std::string node, param;
    Kind kind = Kind::Float;
    double low = 0, high = 0;         // Float and Int, both ends included
    bool log = false;                 // sample log(x) uniformly (Float and Int)
    std::vector<ParamValue> choices;  // Categorical

    // "optimizer.lr" or "fc1.units": the column name of tables and the key in trial files.
    std::string name() const { return setting.empty() ? node + "." + param : setting; }
    bool operator==(const SearchDimension&) const = default;
};

struct PrunerConfig {
    std::string type = "median";  // median | none
    int64_t startupTrials = 5;    // finished trials before anything is pruned
    int64_t warmupEpochs = 0;     // epochs a trial always runs before it can be pruned
    bool operator==(const PrunerConfig&) const = default;
};

struct SearchSpace {
    std::vector<SearchDimension> dimensions;
    std::string metric = "val_accuracy";  // an EpochRecord figure (searchMetric())
    bool maximize = true;
    // Settings every trial uses, the searched ones aside (short trials: epochs, a data subset).
    std::map<std::string, ParamValue> fixed;
    PrunerConfig pruner;
    int64_t gridPoints = 3;  // grid: values per numeric dimension
    bool operator==(const SearchSpace&) const = default;
};

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
