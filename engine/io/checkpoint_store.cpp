#include "engine/io/checkpoint_store.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "engine/core/error.h"
#include "engine/io/json_blobs.h"
#include "engine/io/json_read.h"
#include "engine/io/project_io.h"
#include "engine/io/run_json.h"
#include "engine/io/tensor_json.h"

namespace netloom::engine {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

constexpr int kCheckpointVersion = 1;
constexpr const char* kSuffix = ".ckpt.json";
constexpr const char* kEndMark = "ended";

ojson toJson(const Checkpoint& c, std::vector<std::string>* blobs) {
    ojson j;
    j["format"] = kCheckpointFormat;
    j["version"] = kCheckpointVersion;
    j["epoch"] = c.epoch;
    j["step"] = c.step;
    j["steps_per_epoch"] = c.stepsPerEpoch;
    j["orders_drawn"] = c.ordersDrawn;
    j["learning_rate"] = c.learningRate;
    j["periodic"] = c.periodic;
    j["best"] = c.best;
    j["best_value"] = c.bestValue;
    j["rng_state"] = c.rngState;
    j["transform_states"] = c.transformStates;
    if (const EarlyStoppingState& es = c.earlyStopping; es.present) {
        ojson weights = ojson::object();
        for (const auto& [node, tensors] : es.bestWeights)
            for (const auto& [name, t] : tensors)
                weights[node][name] =
                    tensorToJson(t, "checkpoint: early stopping/" + node + "/" + name, blobs);
        // A non-finite loss (no epoch had a finite one) is written as null, read back as +inf.
        j["early_stopping"] = {
            {"best_epoch", es.bestEpoch},
            {"best_loss", std::isfinite(es.bestLoss) ? ojson(es.bestLoss) : ojson(nullptr)},
            {"epochs_without_improvement", es.epochsWithoutImprovement},
            {"best_weights", std::move(weights)}};
    }
    j["run"] = runRecordToJson(c.run);
    ojson weights = ojson::object();
    for (const auto& [role, set] : c.weights)
        for (const auto& [node, tensors] : set)
            for (const auto& [name, t] : tensors)
                weights[role][node][name] =
                    tensorToJson(t, "checkpoint: " + role + "/" + node + "/" + name, blobs);
    j["weights"] = std::move(weights);
    ojson state = ojson::array();
    for (const auto& [name, t] : c.optimizerState)
        state.push_back(
            {{"name", name}, {"tensor", tensorToJson(t, "checkpoint: " + name, blobs)}});
    j["optimizer_state"] = std::move(state);
    return j;
}

std::string dump(const ojson& doc) {
    return doc.dump(1, ' ', false, ojson::error_handler_t::replace);
}

std::string entryName(int64_t epoch, bool best) {
    char name[64];
    std::snprintf(name, sizeof name, "%sepoch-%04lld%s", best ? "best-" : "",
                  static_cast<long long>(epoch), kSuffix);
    return name;
}

// The entry a file name stands for; nothing for other files (temp files, the end mark).
std::optional<CheckpointStore::Entry> parseEntry(const fs::path& path) {
    std::string name = path.filename().string();
    const std::string suffix = kSuffix;
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return std::nullopt;
    name.resize(name.size() - suffix.size());
    CheckpointStore::Entry e;
    e.path = path.string();
    if (name.rfind("best-", 0) == 0) {
        e.best = true;
        name = name.substr(5);
    }
    if (name.rfind("epoch-", 0) != 0) return std::nullopt;
    const std::string digits = name.substr(6);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        return std::nullopt;
    e.epoch = std::stoll(digits);
    return e;
}

}  // namespace

std::string checkpointToText(const Checkpoint& c) {
    std::vector<std::string> blobs;
    std::optional<std::string> text = spliceBlobs(dump(toJson(c, &blobs)), blobs);
    if (!text) text = dump(toJson(c, nullptr));
    text->push_back('\n');
    return std::move(*text);
}

Checkpoint checkpointFromText(const std::string& text, const std::string& sourceName) {
    ParsedJson parsed = parseJsonText(text, sourceName);
    try {
        JsonCursor root(parsed.doc, sourceName, &parsed.blobs);
        root.expectObject();
        const auto format = root.find("format");
        if (!format || format->asString() != kCheckpointFormat)
            root.fail("this is not a NetLoom checkpoint");
        if (root.member("version").asInt() != kCheckpointVersion)
            root.member("version").fail("unknown checkpoint version");
        Checkpoint c;
        c.epoch = root.member("epoch").asInt(1);
        c.step = root.member("step").asInt(1);
        c.stepsPerEpoch = root.member("steps_per_epoch").asInt(1);
        c.ordersDrawn = root.member("orders_drawn").asInt(0);
        c.learningRate = root.member("learning_rate").asDouble();
        c.periodic = root.member("periodic").asBool();
        c.best = root.member("best").asBool();
        c.bestValue = root.member("best_value").asDouble();
        c.rngState = root.member("rng_state").asString();
        if (const auto states = root.find("transform_states"))
            for (const JsonCursor& sc : states->elements())
                c.transformStates.push_back(sc.asString());
        if (const auto es = root.find("early_stopping")) {
            EarlyStoppingState& s = c.earlyStopping;
            s.present = true;
            s.bestEpoch = es->member("best_epoch").asInt(1);
            const JsonCursor loss = es->member("best_loss");
            s.bestLoss = loss.isNull() ? std::numeric_limits<double>::infinity() : loss.asDouble();
            s.epochsWithoutImprovement = es->member("epochs_without_improvement").asInt(0);
            for (const auto& [node, nc] : es->member("best_weights").members())
                for (const auto& [name, tc] : nc.members())
                    s.bestWeights[node][name] = tensorFromJson(tc);
        }
        c.run = runRecordFromJson(root.member("run"));
        for (const auto& [role, rc] : root.member("weights").members())
            for (const auto& [node, nc] : rc.members())
                for (const auto& [name, tc] : nc.members())
                    c.weights[role][node][name] = tensorFromJson(tc);
        for (const JsonCursor& sc : root.member("optimizer_state").elements())
            c.optimizerState.emplace_back(sc.member("name").asString(),
                                          tensorFromJson(sc.member("tensor")));
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw Error(sourceName + ": " + e.what());
    }
}

Checkpoint readCheckpoint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the checkpoint");
    std::ostringstream text;
    text << in.rdbuf();
    return checkpointFromText(text.str(), path);
}

std::string CheckpointStore::folderFor(const std::string& projectPath) {
    return projectPath + ".checkpoints";
}

CheckpointStore::CheckpointStore(std::string folder, int64_t keep)
    : m_folder(std::move(folder)), m_keep(std::max<int64_t>(keep, 1)) {}

void CheckpointStore::save(const Checkpoint& c) {
    std::error_code ec;
    fs::create_directories(m_folder, ec);
    if (ec) throw Error(m_folder + ": cannot create the checkpoint folder: " + ec.message());
    const std::string text = checkpointToText(c);
    if (c.periodic) writeFileAtomically(m_folder + "/" + entryName(c.epoch, false), text);
    if (c.best) writeFileAtomically(m_folder + "/" + entryName(c.epoch, true), text);
    fs::remove(fs::path(m_folder) / kEndMark, ec);
    // Bound the count only once the new file is safely there.
    std::vector<Entry> periodic;
    for (const Entry& e : list()) {
        if (e.best && c.best && e.epoch != c.epoch) fs::remove(e.path, ec);
        if (!e.best) periodic.push_back(e);
    }
    for (size_t i = 0; i + static_cast<size_t>(m_keep) < periodic.size(); ++i)
        fs::remove(periodic[i].path, ec);
}

void CheckpointStore::clear() {
    std::error_code ec;
    for (const Entry& e : list()) fs::remove(e.path, ec);
    fs::remove(fs::path(m_folder) / kEndMark, ec);
}

void CheckpointStore::markEnded() {
    if (list().empty()) return;
    writeFileAtomically((fs::path(m_folder) / kEndMark).string(), "finished\n");
}

std::vector<CheckpointStore::Entry> CheckpointStore::list() const {
    std::vector<Entry> out;
    std::error_code ec;
    for (fs::directory_iterator it(m_folder, ec), end; !ec && it != end; it.increment(ec))
        if (auto e = parseEntry(it->path())) out.push_back(*e);
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
        return a.best != b.best ? !a.best : a.epoch < b.epoch;
    });
    return out;
}

std::optional<CheckpointStore::Entry> CheckpointStore::resumable() const {
    std::error_code ec;
    if (fs::exists(fs::path(m_folder) / kEndMark, ec)) return std::nullopt;
    std::optional<Entry> latest;
    for (const Entry& e : list())
        if (!latest || e.epoch > latest->epoch) latest = e;
    return latest;
}

}  // namespace netloom::engine
