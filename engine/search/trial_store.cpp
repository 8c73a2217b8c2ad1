#include "engine/search/trial_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/error.h"
#include "engine/io/json_read.h"
#include "engine/io/project_io.h"

namespace netloom::engine {
namespace {

using ojson = nlohmann::ordered_json;
constexpr int kSearchVersion = 1;

ojson valueToJson(const ParamValue& v) {
    return std::visit([](const auto& x) { return ojson(x); }, v);
}

ParamValue valueFromJson(const JsonCursor& c) {
    const nlohmann::json& v = c.value();
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return c.asInt();
    if (v.is_number()) return c.asDouble();
    if (v.is_string()) return v.get<std::string>();
    c.fail("expected a number, true/false or text");
}

// A value read back as the dimension keeps it (a float range written as 1.0 reads as 1).
ParamValue asDimensionValue(const SearchDimension& d, ParamValue v) {
    if (d.kind == SearchDimension::Kind::Float)
        if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (d.kind == SearchDimension::Kind::Int)
        if (const double* x = std::get_if<double>(&v)) return static_cast<int64_t>(*x);
    return v;
}

}  // namespace

std::string searchRecordToText(const SearchRecord& r) {
    ojson j;
    j["format"] = kSearchFormat;
    j["version"] = kSearchVersion;
    j["strategy"] = r.strategy;
    j["seed"] = r.seed;
    j["space"] = ojson::parse(searchSpaceToText(r.space));
    ojson trials = ojson::array();
    for (const Trial& t : r.trials) {
        ojson tj;
        tj["number"] = t.number;
        tj["state"] = trialStateName(t.state);
        tj["seconds"] = t.seconds;
        tj["cpu_seconds"] = t.cpuSeconds;
        tj["message"] = t.message;
        ojson values = ojson::object();
        for (size_t i = 0; i < t.values.size() && i < r.space.dimensions.size(); ++i)
            values[r.space.dimensions[i].name()] = valueToJson(t.values[i]);
        tj["values"] = values;
        ojson curve = ojson::array();
        for (double v : t.curve) curve.push_back(std::isfinite(v) ? ojson(v) : ojson(nullptr));
        tj["curve"] = curve;
        trials.push_back(tj);
    }
    j["trials"] = trials;
    return j.dump(1) + "\n";
}

SearchRecord searchRecordFromText(const std::string& text, const std::string& sourceName) {
    ParsedJson parsed = parseJsonText(text, sourceName);
    try {
        JsonCursor root(parsed.doc, sourceName, &parsed.blobs);
        root.expectObject();
        const auto format = root.find("format");
        if (!format || format->asString() != kSearchFormat)
            root.fail("this is not a NetLoom search file");
        if (root.member("version").asInt() != kSearchVersion)
            root.member("version").fail("unknown search file version");
        SearchRecord r;
        r.strategy = root.member("strategy").asString();
        r.seed = root.member("seed").asUInt64();
        r.space = searchSpaceFromText(root.member("space").value().dump(), sourceName + " (space)");
        for (const JsonCursor& tc : root.member("trials").elements()) {
            Trial t;
            t.number = tc.member("number").asInt(0);
            t.state = trialStateFromName(tc.member("state").asString());
            t.seconds = tc.member("seconds").asDouble();
            if (auto cpu = tc.find("cpu_seconds")) t.cpuSeconds = cpu->asDouble();
            t.message = tc.member("message").asString();
            const JsonCursor values = tc.member("values");
            for (const SearchDimension& d : r.space.dimensions)
                t.values.push_back(asDimensionValue(d, valueFromJson(values.member(d.name()))));
            for (const JsonCursor& v : tc.member("curve").elements())
                t.curve.push_back(v.asDouble());
            r.trials.push_back(std::move(t));
        }
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw Error(sourceName + ": " + e.what());
    }
}

std::string TrialStore::pathFor(const std::string& projectPath) {
    return projectPath + ".search.json";
}

std::optional<SearchRecord> TrialStore::load() const {
    std::error_code ec;
    if (!std::filesystem::exists(m_path, ec)) return std::nullopt;
    std::ifstream in(m_path, std::ios::binary);
    if (!in) throw Error(m_path + ": cannot open the search file");
    std::ostringstream text;
    text << in.rdbuf();
    return searchRecordFromText(text.str(), m_path);
}

void TrialStore::save(const SearchRecord& r) const {
    writeFileAtomically(m_path, searchRecordToText(r));
}

void TrialStore::remove() const {
    std::error_code ec;
    std::filesystem::remove(m_path, ec);
}

}  // namespace netloom::engine
