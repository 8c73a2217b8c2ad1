#pragma once
// Checkpoints on disk, in a folder next to the project file: "<project>.netloom.checkpoints/".
// Why a sidecar folder and not the project file: a checkpoint carries the optimizer's state
// (Adam: three times the weights) and is written during the run, while the project file is
// the user's document, saved when they save it; writing checkpoints into it would save
// unsaved edits behind their back and make every save N times bigger. A folder of one file
// per checkpoint makes each write atomic on its own (temp file + rename), keeps the count
// bounded by deleting whole files, and can be deleted without harm.
//
//   epoch-0004.ckpt.json       every N epochs; the newest `keep` stay
//   best-epoch-0003.ckpt.json  the best epoch by the chosen validation figure (one)
//   ended                      the run that wrote them finished: nothing to resume
//
// A checkpoint file is JSON: {"format": "netloom-checkpoint", "version": 1, counters,
// "run": the run record so far, "weights": {role: {node: {name: tensor}}}, "optimizer_state":
// [{"name", "tensor"}], "rng_state", "transform_states": [text per training transform],
// "early_stopping": {"best_epoch", "best_loss", "epochs_without_improvement", "best_weights"}}
// with tensors as in project files (io/tensor_json.h). The last two are absent in checkpoints
// written before they existed (read as "none"): still version 1, nothing else changed.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/train/checkpoint.h"

namespace netloom::engine {

inline constexpr const char* kCheckpointFormat = "netloom-checkpoint";

std::string checkpointToText(const Checkpoint& c);
// Throws Error naming the source and the JSON path of a problem.
Checkpoint checkpointFromText(const std::string& text, const std::string& sourceName);
Checkpoint readCheckpoint(const std::string& path);

class CheckpointStore {
public:
    // "<project path>.checkpoints"
    static std::string folderFor(const std::string& projectPath);

    // keep: how many periodic checkpoints stay (the newest).
    CheckpointStore(std::string folder, int64_t keep);
    const std::string& folder() const { return m_folder; }

    // Writes atomically, then removes what falls out of the bound (older periodic ones beyond
    // `keep`, the previous best). Throws Error naming the file when it cannot write.
    void save(const Checkpoint& c);
    // A new run: removes the previous run's checkpoints and its end mark.
    void clear();
    // The run finished: its checkpoints stay (the best one may be wanted) but offer no resume.
    void markEnded();

    struct Entry {
        std::string path;
        int64_t epoch = 0;
        bool best = false;
    };
    // Periodic ones by epoch, then the best.
    std::vector<Entry> list() const;
    // The latest checkpoint (highest epoch) of a run that did not finish; nothing otherwise.
    std::optional<Entry> resumable() const;

private:
    std::string m_folder;
    int64_t m_keep;
};

}  // namespace netloom::engine
