#pragma once
// A search's trials on disk, next to the project file: "<project>.search.json". Written
// atomically (temp file + rename) after every trial, so a search killed mid-way (window
// closed, kill -9) keeps every finished trial and continues from them. Why a sidecar and not
// the project file: like checkpoints, trials are written while the search runs, and the
// project file is the user's document, saved when they save it. The space is kept beside the
// trials, so `netloom search FILE` continues without naming it again and a changed space is
// noticed instead of mixing trials of two spaces.
//
//   {"format": "netloom-search", "version": 1, "strategy": "tpe", "seed": 1,
//    "space": {...as a space file...},
//    "trials": [{"number": 0, "state": "finished", "seconds": 1.9, "cpu_seconds": 0.4,
//                "message": "",
//                "values": {"optimizer.lr": 0.003, "fc1.units": 212},
//                "curve": [0.81, 0.84]}, ...]}
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/search/search_space.h"
#include "engine/search/trial.h"

namespace netloom::engine {

inline constexpr const char* kSearchFormat = "netloom-search";

struct SearchRecord {
    SearchSpace space;
    std::string strategy = "tpe";
    uint64_t seed = 1;
    std::vector<Trial> trials;
    bool operator==(const SearchRecord&) const = default;
};

std::string searchRecordToText(const SearchRecord& r);
// Throws Error naming the source and the JSON path of a problem (a trial value missing for a
// parameter of the space, an unknown state).
SearchRecord searchRecordFromText(const std::string& text, const std::string& sourceName);

class TrialStore {
public:
    static std::string pathFor(const std::string& projectPath);  // "<project>.search.json"
    explicit TrialStore(std::string path) : m_path(std::move(path)) {}
    const std::string& path() const { return m_path; }

    // Nothing when there is no file yet; throws Error for a file that cannot be read.
    std::optional<SearchRecord> load() const;
    void save(const SearchRecord& r) const;  // atomic
    void remove() const;

private:
    std::string m_path;
};

}  // namespace netloom::engine
