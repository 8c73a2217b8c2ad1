#include "engine/search/search_space.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/core/error.h"
#include "engine/io/json_read.h"
#include "engine/io/search_space_json.h"
#include "engine/layers/registry.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"
#include "engine/tasks/task.h"

namespace netloom::engine {
namespace {

std::string numberText(double x) {
    std::ostringstream s;
    s << x;
    return s.str();
}

[[noreturn]] void refuse(const SearchDimension& d, const std::string& why) {
    throw Error("search parameter '" + d.name() + "': " + why);
}

// The node a dimension names, in whichever network holds it.
Node* findNamedNode(Project& project, const std::string& name) {
    for (Network& n : project.networks)
        for (const Node& node : n.graph.nodes())
            if (node.name == name) return n.graph.findNode(node.id);
    return nullptr;
}

const ParamSpec* findParamSpec(const Node& node, const std::string& key) {
    const LayerDef* def = findLayerDef(node.type);
    if (!def) return nullptr;
    static thread_local ParamSchema schema;
    schema = def->schema();
    for (const ParamSpec& s : schema)
        if (s.key == key) return &s;
    return nullptr;
}

// A value given for a layer parameter, converted like normalizeParams does (a whole double for
// an Int, an int for a Float).
ParamValue coerceParam(const ParamSpec& spec, const ParamValue& v) {
    if (spec.type == ParamType::Int) {
        if (const double* d = std::get_if<double>(&v); d && *d == std::round(*d))
            return static_cast<int64_t>(*d);
    }
    if (spec.type == ParamType::Float) {
        if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    }
    return v;
}

void setTrialValue(Project& p, const SearchDimension& d, const ParamValue& value) {
    if (!d.setting.empty()) {
        const SettingDef* def = findSetting(d.setting);
        if (!def) refuse(d, "unknown setting");
        try {
            setSetting(p.training, *def, value);
        } catch (const std::exception& e) {
            refuse(d, e.what());
        }
        return;
    }
    Node* node = findNamedNode(p, d.node);
    if (!node) refuse(d, "no layer named '" + d.node + "'");
    const ParamSpec* spec = findParamSpec(*node, d.param);
    if (!spec) refuse(d, "layer '" + d.node + "' has no parameter '" + d.param + "'");
    const ParamValue v = coerceParam(*spec, value);
    if (std::string problem = checkParamValue(*spec, v); !problem.empty())
        refuse(d, "value " + paramValueToString(value) + ": " + problem);
    node->params.set(d.param, v);
}

// The spec's type name for a layer parameter.
bool paramIsNumber(const ParamSpec& s) {
    return s.type == ParamType::Int || s.type == ParamType::Float;
}

void checkNumericRange(const SearchDimension& d) {
    if (!std::isfinite(d.low) || !std::isfinite(d.high)) refuse(d, "the range needs finite ends");
    if (d.low > d.high)
        refuse(d, "the range [" + numberText(d.low) + ", " + numberText(d.high) +
                      "] is inverted (low > high)");
    if (d.low == d.high)
        refuse(d, "the range [" + numberText(d.low) + ", " + numberText(d.high) +
                      "] is empty (low = high); use \"fixed\" for a constant");
    if (d.log && d.low <= 0)
        refuse(d, "the log range [" + numberText(d.low) + ", " + numberText(d.high) +
                      "] touches 0 (a log scale needs low > 0)");
    if (d.kind == SearchDimension::Kind::Int &&
        (d.low != std::round(d.low) || d.high != std::round(d.high)))
        refuse(d, "an int range needs whole ends");
}

void validateDimension(const SearchDimension& d, const Project& project) {
    using Kind = SearchDimension::Kind;
    if (d.setting.empty() == (d.node.empty() || d.param.empty()))
        throw Error("search parameter '" + d.name() +
                    "': give either \"setting\" or \"node\" and \"param\"");
    if (d.kind == Kind::Categorical) {
        if (d.choices.empty()) refuse(d, "a categorical parameter needs at least one choice");
    } else {
        checkNumericRange(d);
    }
    std::vector<ParamValue> probes = d.choices;
    if (d.kind == Kind::Int) probes = {static_cast<int64_t>(d.low), static_cast<int64_t>(d.high)};
    if (d.kind == Kind::Float) probes = {d.low, d.high};
    if (!d.setting.empty()) {
        const SettingDef* def = findSetting(d.setting);
        if (!def)
            refuse(d, "unknown setting '" + d.setting +
                          "' (docs/settings.md lists every setting; a layer parameter needs "
                          "\"node\" and \"param\")");
        const SettingType t = def->spec.type;
        if (d.kind == Kind::Float && t != SettingType::Real)
            refuse(d, "a float range needs a number setting; " + def->qualifiedName() + " is " +
                          settingTypeName(t) + " (use int or categorical)");
        if (d.kind == Kind::Int && t != SettingType::Int && t != SettingType::Real)
            refuse(d, "an int range needs a number setting; " + def->qualifiedName() + " is " +
                          settingTypeName(t) + " (use categorical)");
        for (const ParamValue& v : probes) {
            const auto coerced = coerceSetting(def->spec, v);
            if (!coerced)
                refuse(d, "value " + paramValueToString(v) + " is not a " + settingTypeName(t) +
                              " for " + def->qualifiedName());
            if (std::string problem = checkSetting(def->spec, *coerced); !problem.empty())
                refuse(d, "value " + paramValueToString(v) + ": " + def->qualifiedName() + " " +
                              problem);
        }
        const TaskDef& task = taskFor(project.training);
        const std::vector<std::string> groups = task.settingGroups();
        if (def->group != "task" &&
            std::find(groups.begin(), groups.end(), def->group) == groups.end())
            refuse(d, def->qualifiedName() + " does not apply to " + task.phrase() + " projects");
        return;
    }
    Project copy = project;
    Node* node = findNamedNode(copy, d.node);
    if (!node) {
        std::string names;
        for (const Network& n : project.networks)
            for (const Node& x : n.graph.nodes()) names += (names.empty() ? "" : ", ") + x.name;
        refuse(d, "no layer named '" + d.node + "' in the project (layers: " + names + ")");
    }
    const ParamSpec* spec = findParamSpec(*node, d.param);
    if (!spec) {
        std::string keys;
        if (const LayerDef* def = findLayerDef(node->type))
            for (const ParamSpec& s : def->schema()) keys += (keys.empty() ? "" : ", ") + s.key;
        refuse(d, "layer '" + d.node + "' (" + node->type + ") has no parameter '" + d.param + "'" +
                      (keys.empty() ? std::string(" (it has none)") : " (it has: " + keys + ")"));
    }
    if (d.kind != Kind::Categorical && !paramIsNumber(*spec))
        refuse(d, "'" + d.param + "' of layer '" + d.node + "' is not a number (use categorical)");
    if (d.kind == Kind::Float && spec->type == ParamType::Int)
        refuse(d, "'" + d.param + "' of layer '" + d.node + "' is a whole number (use int)");
    for (const ParamValue& v : probes)
        if (std::string problem = checkParamValue(*spec, coerceParam(*spec, v)); !problem.empty())
            refuse(d, "value " + paramValueToString(v) + ": " + problem);
}

}  // namespace

SearchSpace searchSpaceFromText(const std::string& text, const std::string& sourceName) {
    ParsedJson parsed = parseJsonText(text, sourceName);
    try {
        JsonCursor root(parsed.doc, sourceName, &parsed.blobs);
        SearchSpace s = searchSpaceFromJson(root);
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw Error(sourceName + ": " + e.what());
    }
}

SearchSpace readSearchSpace(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open the search space");
    std::ostringstream text;
    text << in.rdbuf();
    return searchSpaceFromText(text.str(), path);
}

std::string searchSpaceToText(const SearchSpace& space) {
    return searchSpaceToJson(space).dump(1) + "\n";
}

bool isKnownSearchMetric(const std::string& name) {
    return name == "val_accuracy" || name == "val_loss" || name == "accuracy" || name == "loss";
}

double searchMetric(const EpochRecord& r, const std::string& name) {
    if (name == "val_accuracy") return r.valAccuracy;
    if (name == "val_loss") return r.valLoss;
    if (name == "accuracy") return r.trainAccuracy;
    if (name == "loss") return r.trainLoss;
    auto it = r.metrics.find(name);
    return it == r.metrics.end() ? std::nan("") : it->second;
}

void validateSpace(const SearchSpace& space, const Project& project) {
    if (space.dimensions.empty())
        throw Error("search space: no parameters to search (\"parameters\" is empty)");
    if (space.metric.empty()) throw Error("search space: \"metric\" is empty");
    const TaskDef& task = taskFor(project.training);
    if ((space.metric == "val_accuracy" || space.metric == "accuracy") && !task.views().accuracy)
        throw Error("search space: metric '" + space.metric + "': " + task.phrase() +
                    " projects report no accuracy (use val_loss)");
    if (space.pruner.type != "median" && space.pruner.type != "none")
        throw Error("search space: pruner type must be median or none, got '" + space.pruner.type +
                    "'");
    std::set<std::string> names;
    for (const SearchDimension& d : space.dimensions) {
        validateDimension(d, project);
        if (!names.insert(d.name()).second) refuse(d, "searched twice");
    }
    Project p = project;
    for (const auto& [name, v] : space.fixed) {
        const SettingDef* def = findSetting(name);
        if (!def) throw Error("search space: fixed setting '" + name + "' is unknown");
        if (names.count(name) || names.count(def->id))
            throw Error("search space: '" + name + "' is both fixed and searched");
        try {
            setSetting(p.training, *def, v);
        } catch (const std::exception& e) {
            throw Error(std::string("search space: fixed setting: ") + e.what());
        }
    }
    // Both corners of the space must make a valid run (settings that depend on each other).
    for (int corner = 0; corner < 2; ++corner) {
        std::vector<ParamValue> values;
        for (const SearchDimension& d : space.dimensions) {
            if (d.kind == SearchDimension::Kind::Categorical)
                values.push_back(corner ? d.choices.back() : d.choices.front());
            else if (d.kind == SearchDimension::Kind::Int)
                values.push_back(static_cast<int64_t>(corner ? d.high : d.low));
            else
                values.push_back(corner ? d.high : d.low);
        }
        const Project trial = applyTrialValues(project, space, values);
        try {
            validateTrainingConfig(trial.training);
        } catch (const std::exception& e) {
            throw Error(std::string("search space: at the ") + (corner ? "high" : "low") +
                        " ends of the ranges: " + e.what());
        }
        for (const SearchDimension& d : space.dimensions)
            if (const SettingDef* def = d.setting.empty() ? nullptr : findSetting(d.setting);
                def && !def->appliesTo(trial.training))
                refuse(d, def->qualifiedName() +
                              " is not used with the project's settings (e.g. an optimizer "
                              "that does not read it)");
    }
}

Project applyTrialValues(const Project& project, const SearchSpace& space,
                         const std::vector<ParamValue>& values) {
    Project p = project;
    for (const auto& [name, v] : space.fixed) {
        const SettingDef* def = findSetting(name);
        if (!def) throw Error("search space: fixed setting '" + name + "' is unknown");
        setSetting(p.training, *def, v);
    }
    if (values.size() != space.dimensions.size())
        throw Error("search: a trial has " + std::to_string(values.size()) + " values for " +
                    std::to_string(space.dimensions.size()) + " parameters");
    for (size_t i = 0; i < values.size(); ++i) setTrialValue(p, space.dimensions[i], values[i]);
    return p;
}

Project applyBestValues(const Project& project, const SearchSpace& space,
                        const std::vector<ParamValue>& values) {
    Project p = project;
    if (values.size() != space.dimensions.size())
        throw Error("search: the best trial does not match the space's parameters");
    for (size_t i = 0; i < values.size(); ++i) setTrialValue(p, space.dimensions[i], values[i]);
    for (size_t n = 0; n < p.networks.size(); ++n)
        if (!(p.networks[n].graph == project.networks[n].graph)) p.networks[n].weights.clear();
    return p;
}

}  // namespace netloom::engine
