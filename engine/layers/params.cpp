#include "engine/layers/params.h"

#include <cmath>
#include <sstream>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "engine/layers/training_params.h"

namespace netloom::engine {

ParamSpec ParamSpec::integer(std::string key, std::string label, int64_t def, int64_t min,
                             int64_t max, std::string help) {
    ParamSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = ParamType::Int;
    s.defaultValue = def;
    s.min = static_cast<double>(min);
    s.max = static_cast<double>(max);
    return s;
}

ParamSpec ParamSpec::real(std::string key, std::string label, double def, double min, double max,
                          std::string help) {
    ParamSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = ParamType::Float;
    s.defaultValue = def;
    s.min = min;
    s.max = max;
    return s;
}

ParamSpec ParamSpec::boolean(std::string key, std::string label, bool def, std::string help) {
    ParamSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = ParamType::Bool;
    s.defaultValue = def;
    return s;
}

ParamSpec ParamSpec::choice(std::string key, std::string label, std::vector<std::string> choices,
                            std::string def, std::string help) {
    ParamSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = ParamType::Choice;
    s.choices = std::move(choices);
    s.defaultValue = std::move(def);
    return s;
}

ParamSpec ParamSpec::shape(std::string key, std::string label, std::string def, std::string help) {
    ParamSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = ParamType::Shape;
    s.defaultValue = std::move(def);
    return s;
}

const ParamValue& Params::at(const std::string& key) const {
    auto it = m_values.find(key);
    if (it == m_values.end()) throw Error("parameter '" + key + "' is missing");
    return it->second;
}

int64_t Params::getInt(const std::string& key) const {
    const ParamValue& v = at(key);
    if (auto p = std::get_if<int64_t>(&v)) return *p;
    throw Error("parameter '" + key + "' is not a whole number");
}

double Params::getFloat(const std::string& key) const {
    const ParamValue& v = at(key);
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
    throw Error("parameter '" + key + "' is not a number");
}

bool Params::getBool(const std::string& key) const {
    const ParamValue& v = at(key);
    if (auto p = std::get_if<bool>(&v)) return *p;
    throw Error("parameter '" + key + "' is not true/false");
}

const std::string& Params::getString(const std::string& key) const {
    const ParamValue& v = at(key);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    throw Error("parameter '" + key + "' is not text");
}

std::string paramValueToString(const ParamValue& v) {
    if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&v)) {
        std::ostringstream os;
        os << *p;
        return os.str();
    }
    if (auto p = std::get_if<bool>(&v)) return *p ? "true" : "false";
    return std::get<std::string>(v);
}

static std::string fmt(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string checkParamValue(const ParamSpec& spec, const ParamValue& value) {
    switch (spec.type) {
        case ParamType::Int: {
            auto p = std::get_if<int64_t>(&value);
            if (!p) return "must be a whole number";
            if (*p < spec.min || *p > spec.max)
                return "must be between " + fmt(spec.min) + " and " + fmt(spec.max) + ", got " +
                       std::to_string(*p);
            return {};
        }
        case ParamType::Float: {
            double d;
            if (auto p = std::get_if<double>(&value))
                d = *p;
            else if (auto q = std::get_if<int64_t>(&value))
                d = static_cast<double>(*q);
            else
                return "must be a number";
            if (!std::isfinite(d)) return "must be a finite number";
            if (d < spec.min || d > spec.max)
                return "must be between " + fmt(spec.min) + " and " + fmt(spec.max) + ", got " +
                       fmt(d);
            return {};
        }
        case ParamType::Bool:
            return std::holds_alternative<bool>(value) ? std::string() : "must be true or false";
        case ParamType::Choice: {
            auto p = std::get_if<std::string>(&value);
            if (!p) return "must be one of the listed choices";
            for (const auto& c : spec.choices)
                if (c == *p) return {};
            std::string list;
            for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
            return "must be one of " + list + ", got '" + *p + "'";
        }
        case ParamType::Shape: {
            auto p = std::get_if<std::string>(&value);
            if (!p) return "must be a shape like 1,28,28";
            try {
                parseShape(*p);
            } catch (const Error& e) {
                return e.what();
            }
            return {};
        }
    }
    return "has an unknown type";
}

Params normalizeParams(const ParamSchema& schema, const Params& given, const std::string& where) {
    Params out;
    for (const auto& [key, value] : given.values()) {
        // Transfer learning's settings (training_params.h) are checked here and left out of
        // the result: every layer accepts them, none reads them.
        if (isTrainingParamKey(key)) {
            for (const auto& spec : trainingParamSchema())
                if (spec.key == key)
                    if (std::string reason = checkParamValue(spec, value); !reason.empty())
                        throw Error(where + ": " + spec.label + " (" + key + ") " + reason);
            continue;
        }
        bool known = false;
        for (const auto& spec : schema) known = known || spec.key == key;
        if (!known) throw Error(where + ": unknown parameter '" + key + "'");
    }
    for (const auto& spec : schema) {
        ParamValue v = given.has(spec.key) ? given.values().at(spec.key) : spec.defaultValue;
        if (spec.type == ParamType::Float)
            if (auto q = std::get_if<int64_t>(&v)) v = static_cast<double>(*q);
        if (spec.type == ParamType::Int)
            if (auto q = std::get_if<double>(&v))
                if (std::isfinite(*q) && *q == std::floor(*q) && std::fabs(*q) < 9e15)
                    v = static_cast<int64_t>(*q);
        std::string reason = checkParamValue(spec, v);
        if (!reason.empty()) throw Error(where + ": parameter '" + spec.key + "' " + reason);
        out.set(spec.key, std::move(v));
    }
    return out;
}

}  // namespace netloom::engine
