#include "engine/io/settings_json.h"

#include <optional>

#include "engine/core/error.h"
#include "engine/settings/settings.h"

namespace netloom::engine {
namespace {

using ojson = nlohmann::ordered_json;

ojson toJson(const ParamValue& v) {
    if (auto p = std::get_if<int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<bool>(&v)) return *p;
    return std::get<std::string>(v);
}

ParamValue fromJson(const SettingSpec& spec, const JsonCursor& c) {
    switch (spec.type) {
        case SettingType::Int:
            return c.asInt();
        case SettingType::Real:
            return c.asDouble();
        case SettingType::Bool:
            return c.asBool();
        default:
            return c.asString();
    }
}

// The cursor at `path` below `section`, or nothing when a step is missing.
std::optional<JsonCursor> find(const JsonCursor& section, const std::vector<std::string>& path) {
    std::optional<JsonCursor> c = section;
    for (const std::string& step : path) {
        c = c->find(step);
        if (!c) return std::nullopt;
    }
    return c;
}

bool stored(const SettingDef& d, const TrainingConfig& c) {
    for (const OptionalSettingObject& o : optionalSettingObjects())
        if (o.id == d.optionalObject && !o.present(c)) return false;
    return !d.stored || d.stored(c);
}

}  // namespace

void settingsToJson(const TrainingConfig& config, ojson& training, ojson& dataset) {
    for (const SettingDef& d : allSettings()) {
        if (!stored(d, config)) continue;
        const ParamValue value = d.get(config);
        if (d.appliesTo(config)) {
            const std::string problem = checkSetting(d.spec, value);
            if (!problem.empty()) throw Error("cannot save: " + d.qualifiedName() + " " + problem);
        }
        ojson* at = d.section == "dataset" ? &dataset : &training;
        for (const std::string& step : d.path) at = &(*at)[step];
        *at = toJson(value);
    }
}

void settingsFromJson(const JsonCursor* training, const JsonCursor* dataset,
                      TrainingConfig& config) {
    if (training) training->expectObject();
    if (dataset) dataset->expectObject();
    // An optional object named in the file starts from its defaults, not from what it would
    // stand for when absent.
    if (training)
        for (const OptionalSettingObject& o : optionalSettingObjects()) {
            std::vector<std::string> path;
            for (size_t a = 0, b; a <= o.id.size(); a = b + 1) {
                b = o.id.find('.', a);
                if (b == std::string::npos) b = o.id.size();
                path.push_back(o.id.substr(a, b - a));
            }
            if (auto c = find(*training, path)) {
                c->expectObject();
                o.createDefault(config);
            }
        }
    // Types first, everything; then ranges of what applies, once the settings they depend on
    // (the optimizer's type, the dataset's kind) are known.
    struct Read {
        const SettingDef* def;
        JsonCursor cursor;
        std::string problem;  // of the value as written (a narrower field could wrap it)
    };
    std::vector<Read> read;
    for (const SettingDef& d : allSettings()) {
        const JsonCursor* section = d.section == "dataset" ? dataset : training;
        if (!section) continue;
        std::optional<JsonCursor> c = find(*section, d.path);
        if (!c) continue;
        const ParamValue v = fromJson(d.spec, *c);
        const std::optional<ParamValue> coerced = coerceSetting(d.spec, v);
        if (!coerced) c->fail(checkSetting(d.spec, v));
        d.set(config, *coerced);
        read.push_back({&d, *c, checkSetting(d.spec, *coerced)});
    }
    for (const Read& r : read)
        if (!r.problem.empty() && r.def->appliesTo(config)) r.cursor.fail(r.problem);
}

}  // namespace netloom::engine
