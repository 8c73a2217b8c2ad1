#include "engine/io/search_space_json.h"

#include <cmath>

namespace netloom::engine {
namespace {

using ojson = nlohmann::ordered_json;

ParamValue valueFromJson(const JsonCursor& c) {
    const nlohmann::json& v = c.value();
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return c.asInt();
    if (v.is_number()) return c.asDouble();
    if (v.is_string()) return v.get<std::string>();
    c.fail("expected a number, true/false or text");
}

ojson valueToJson(const ParamValue& v) {
    return std::visit([](const auto& x) { return ojson(x); }, v);
}

const char* kindName(SearchDimension::Kind k) {
    switch (k) {
        case SearchDimension::Kind::Float:
            return "float";
        case SearchDimension::Kind::Int:
            return "int";
        case SearchDimension::Kind::Categorical:
            return "categorical";
    }
    return "float";
}

SearchDimension dimensionFromJson(const JsonCursor& c) {
    c.expectObject();
    SearchDimension d;
    c.read("setting", d.setting);
    c.read("node", d.node);
    c.read("param", d.param);
    std::string type = "float";
    c.read("type", type);
    if (type == "float")
        d.kind = SearchDimension::Kind::Float;
    else if (type == "int")
        d.kind = SearchDimension::Kind::Int;
    else if (type == "categorical")
        d.kind = SearchDimension::Kind::Categorical;
    else
        c.member("type").fail("type must be float, int or categorical, got '" + type + "'");
    if (d.kind == SearchDimension::Kind::Categorical) {
        for (const JsonCursor& e : c.member("choices").elements())
            d.choices.push_back(valueFromJson(e));
    } else {
        d.low = c.member("low").asDouble();
        d.high = c.member("high").asDouble();
        c.read("log", d.log);
    }
    return d;
}

}  // namespace

SearchSpace searchSpaceFromJson(const JsonCursor& root) {
    root.expectObject();
    SearchSpace s;
    root.read("metric", s.metric);
    std::string direction = "maximize";
    root.read("direction", direction);
    if (direction != "maximize" && direction != "minimize")
        root.member("direction").fail("direction must be maximize or minimize");
    s.maximize = direction == "maximize";
    root.read("grid_points", s.gridPoints, 2, 1000);
    if (auto p = root.find("pruner")) {
        p->expectObject();
        p->read("type", s.pruner.type);
        p->read("startup_trials", s.pruner.startupTrials, 0, 1000000);
        p->read("warmup_epochs", s.pruner.warmupEpochs, 0, 1000000);
    }
    if (auto f = root.find("fixed"))
        for (const auto& [name, v] : f->members()) s.fixed[name] = valueFromJson(v);
    for (const JsonCursor& e : root.member("parameters").elements())
        s.dimensions.push_back(dimensionFromJson(e));
    return s;
}

ojson searchSpaceToJson(const SearchSpace& s) {
    ojson j;
    j["metric"] = s.metric;
    j["direction"] = s.maximize ? "maximize" : "minimize";
    j["grid_points"] = s.gridPoints;
    j["pruner"] = {{"type", s.pruner.type},
                   {"startup_trials", s.pruner.startupTrials},
                   {"warmup_epochs", s.pruner.warmupEpochs}};
    ojson fixed = ojson::object();
    for (const auto& [name, v] : s.fixed) fixed[name] = valueToJson(v);
    j["fixed"] = fixed;
    ojson params = ojson::array();
    for (const SearchDimension& d : s.dimensions) {
        ojson p;
        if (!d.setting.empty()) p["setting"] = d.setting;
        if (!d.node.empty()) p["node"] = d.node, p["param"] = d.param;
        p["type"] = kindName(d.kind);
        if (d.kind == SearchDimension::Kind::Categorical) {
            ojson c = ojson::array();
            for (const ParamValue& v : d.choices) c.push_back(valueToJson(v));
            p["choices"] = c;
        } else {
            // Non-finite ends (refused by validateSpace) are written as null, read back as NaN.
            p["low"] = std::isfinite(d.low) ? ojson(d.low) : ojson(nullptr);
            p["high"] = std::isfinite(d.high) ? ojson(d.high) : ojson(nullptr);
            p["log"] = d.log;
        }
        params.push_back(p);
    }
    j["parameters"] = params;
    return j;
}

ProjectSearch projectSearchFromJson(const JsonCursor& c) {
    c.expectObject();
    ProjectSearch s;
    c.read("strategy", s.strategy);
    c.read("trials", s.trials, 1, 1000000);
    c.read("seconds", s.seconds);
    if (!(s.seconds >= 0)) c.member("seconds").fail("seconds must be 0 (no limit) or more");
    s.space = searchSpaceFromJson(c.member("space"));
    return s;
}

ojson projectSearchToJson(const ProjectSearch& s) {
    ojson j;
    j["strategy"] = s.strategy;
    j["trials"] = s.trials;
    j["seconds"] = s.seconds;
    j["space"] = searchSpaceToJson(s.space);
    return j;
}

}  // namespace netloom::engine
