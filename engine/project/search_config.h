#pragma once
// A hyperparameter search as data: the space (what varies, what is optimised, the pruner) and,
// for a search stored in the project file (its "search" section), the strategy and the trial
// budget. Parsing and meaning are elsewhere: io/search_space_json.h reads and writes the JSON,
// search/search_space.h validates a space against a project (validateSpace) and runs trials.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/layers/params.h"

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

// The search kept in the project file: `netloom search FILE` and the Experiments view use it
// when no other space is given.
struct ProjectSearch {
    SearchSpace space;
    std::string strategy = "tpe";  // a strategy id (search/strategy.h)
    int64_t trials = 20;           // the trial budget (count, earlier trials included)
    double seconds = 0;            // and/or wall time; 0 = no limit
    bool operator==(const ProjectSearch&) const = default;
};

}  // namespace netloom::engine
