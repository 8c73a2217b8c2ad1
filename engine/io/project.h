#pragma once
// The *.netloom project: JSON with a format tag and version, the network(s) with per-node UI
// data, training settings, dataset reference, run history and trained weights (base64 float32
// with shape and CRC-32). Readers validate before they allocate and report file, JSON path and
// reason; saving is atomic (temp file + rename).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/graph/graph.h"
#include "engine/train/config.h"

namespace netloom::engine {

inline constexpr const char* kProjectFormat = "netloom-project";
inline constexpr int kProjectVersion = 1;

struct NodeUi {
    double x = 0, y = 0;
    std::string comment;
    bool operator==(const NodeUi&) const = default;
};

// Trained tensors per node id, per parameter/state name ("weight", "bias", "running_mean").
using WeightSet = std::map<std::string, std::map<std::string, Tensor>>;

struct Network {
    std::string role = "model";  // "model", or "generator" / "discriminator" (adversarial task)
    Graph graph;
    std::map<std::string, NodeUi> layout;  // by node id
    WeightSet weights;                     // empty until trained
};

struct EpochRecord {
    int64_t epoch = 0;
    double trainLoss = 0, trainAccuracy = 0;  // accuracy NaN for regression
    double valLoss = 0, valAccuracy = 0;
    double seconds = 0;
    // Further figures by name: a GAN's "d_loss", "g_loss", "d_real_accuracy" and
    // "d_fake_accuracy" (its trainLoss is the D loss, the accuracies and val fields are NaN).
    std::map<std::string, double> metrics;
    bool operator==(const EpochRecord&) const = default;
};

struct RunRecord {
    std::string started;  // ISO 8601 UTC
    double seconds = 0;
    std::string status;   // finished | stopped | failed
    std::string message;  // failed: the error; finished with early stopping: the kept epoch
    TrainingConfig config;
    std::vector<EpochRecord> epochs;
    double testLoss = 0, testAccuracy = 0;
};

struct Project {
    std::string name;
    std::string description;
    std::vector<Network> networks{Network{}};
    TrainingConfig training;
    std::vector<RunRecord> history;

    Network& model() { return networks.front(); }
    const Network& model() const { return networks.front(); }
};

// The format is documented in project_json.cpp and docs/project-format.md.
// Throws netloom::Error: "<source>: at /networks/0/nodes/3/params/units: <reason>"; syntax
// errors give "<source>: at line L, column C: not valid JSON: <reason>".
Project parseProject(const std::string& jsonText, const std::string& sourceName);
// Deterministic (same project, same bytes). Throws netloom::Error instead of writing what
// parseProject would refuse (unknown layer type, invalid params, weights of missing nodes).
std::string serializeProject(const Project& project);
// "<path>: cannot open: No such file or directory"; refuses files over 1 GiB.
Project loadProject(const std::string& path);
void saveProject(const Project& project, const std::string& path);  // atomic

// Writes text to path atomically (temp file in the same folder, fsync, rename). On failure the
// temp file is removed, the old file is intact, and the Error names the path and errno text.
void writeFileAtomically(const std::string& path, const std::string& contents);

}  // namespace netloom::engine
