#pragma once
// The project as data: the network(s) with per-node UI data, training settings, dataset
// reference, run history and trained weights. Reading and writing *.netloom files is io/'s job
// (io/project_io.h); nothing here knows JSON.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/data/csv_prep.h"
#include "engine/graph/graph.h"
#include "engine/graph/groups.h"
#include "engine/model/weight_set.h"
#include "engine/project/search_config.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

struct NodeUi {
    double x = 0, y = 0;
    std::string comment;
    bool operator==(const NodeUi&) const = default;
};

struct Network {
    std::string role = "model";  // "model", or "generator" / "discriminator" (adversarial task)
    Graph graph;
    std::map<std::string, NodeUi> layout;  // by node id
    std::vector<NodeGroup> groups;         // editor grouping only; training ignores it
    WeightSet weights;                     // empty until trained
};

struct EpochRecord {
    int64_t epoch = 0;
    double trainLoss = 0, trainAccuracy = 0;  // accuracy NaN for regression
    double valLoss = 0, valAccuracy = 0;
    double seconds = 0;
    // The learning rate the epoch ended with (a mid-run change or a schedule moves it); NaN
    // when unknown (runs saved before it was recorded).
    double learningRate = std::numeric_limits<double>::quiet_NaN();
    // Further figures by name: a GAN's "d_loss", "g_loss", "d_real_accuracy" and
    // "d_fake_accuracy" (its trainLoss is the D loss, the accuracies and val fields are NaN).
    std::map<std::string, double> metrics;
    // Field by field, where two NaNs (unknown, not applicable) count as equal.
    bool operator==(const EpochRecord& o) const;
};

inline bool EpochRecord::operator==(const EpochRecord& o) const {
    auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    if (metrics.size() != o.metrics.size()) return false;
    for (auto a = metrics.begin(), b = o.metrics.begin(); a != metrics.end(); ++a, ++b)
        if (a->first != b->first || !same(a->second, b->second)) return false;
    return epoch == o.epoch && same(trainLoss, o.trainLoss) &&
           same(trainAccuracy, o.trainAccuracy) && same(valLoss, o.valLoss) &&
           same(valAccuracy, o.valAccuracy) && same(seconds, o.seconds) &&
           same(learningRate, o.learningRate);
}

struct RunRecord {
    std::string started;  // ISO 8601 UTC
    double seconds = 0;
    std::string status;   // finished | stopped | failed
    std::string message;  // failed: the error; finished with early stopping: the kept epoch
    TrainingConfig config;
    std::vector<EpochRecord> epochs;
    double testLoss = 0, testAccuracy = 0;
    // CSV data: the preparation fitted on this run's training split (fill values, scaling
    // statistics, categories), so evaluating the weights later prepares rows the same way.
    std::shared_ptr<const CsvPrepFit> dataPrep;
};

struct Project {
    std::string name;
    std::string description;
    std::vector<Network> networks{Network{}};
    TrainingConfig training;
    std::vector<RunRecord> history;
    // A hyperparameter search kept with the project (the file's "search" section): edited in
    // the Experiments view, used by `netloom search FILE` when no space is given. None: unset.
    std::optional<ProjectSearch> search;

    Network& model() { return networks.front(); }
    // The data preparation of the newest run that recorded one (the one the weights come
    // from); nullptr when none did.
    const CsvPrepFit* latestDataPrep() const {
        for (auto r = history.rbegin(); r != history.rend(); ++r)
            if (r->dataPrep) return r->dataPrep.get();
        return nullptr;
    }
    const Network& model() const { return networks.front(); }
};

}  // namespace netloom::engine
