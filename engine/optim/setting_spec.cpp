#include "engine/optim/setting_spec.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "engine/core/error.h"

namespace netloom::engine {
namespace {

std::string num(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

bool isWhole(double v) {
    return std::isfinite(v) && v == std::floor(v) && std::abs(v) < 9.2e18;
}

}  // namespace

SettingSpec SettingSpec::integer(std::string key, std::string label, int64_t def, int64_t min,
                                 int64_t max, std::string help) {
    SettingSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = SettingType::Int;
    s.defaultValue = def;
    s.min = static_cast<double>(min);
    s.max = static_cast<double>(max);
    return s;
}

SettingSpec SettingSpec::real(std::string key, std::string label, double def, double min,
                              double max, std::string help) {
    SettingSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = SettingType::Real;
    s.defaultValue = def;
    s.min = min;
    s.max = max;
    return s;
}

SettingSpec SettingSpec::boolean(std::string key, std::string label, bool def, std::string help) {
    SettingSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = SettingType::Bool;
    s.defaultValue = def;
    return s;
}

SettingSpec SettingSpec::choice(std::string key, std::string label, std::vector<std::string> ids,
                                std::vector<std::string> labels, std::string def,
                                std::string help) {
    SettingSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = SettingType::Choice;
    s.defaultValue = std::move(def);
    s.choices = std::move(ids);
    s.choiceLabels = std::move(labels);
    return s;
}

SettingSpec SettingSpec::text(std::string key, std::string label, std::string def,
                              std::string help) {
    SettingSpec s;
    s.key = std::move(key);
    s.label = std::move(label);
    s.help = std::move(help);
    s.type = SettingType::Text;
    s.defaultValue = std::move(def);
    return s;
}

SettingSpec SettingSpec::path(std::string key, std::string label, std::string help) {
    SettingSpec s = text(std::move(key), std::move(label), "", std::move(help));
    s.type = SettingType::Path;
    return s;
}

std::string SettingSpec::choiceLabel(const std::string& id) const {
    for (size_t i = 0; i < choices.size(); ++i)
        if (choices[i] == id) return i < choiceLabels.size() ? choiceLabels[i] : id;
    return id;
}

std::string rangeText(const SettingSpec& spec) {
    const bool hasMin = std::isfinite(spec.min), hasMax = std::isfinite(spec.max);
    // Integer ranges up to the type's limit read as unbounded.
    const bool maxIsLimit = spec.type == SettingType::Int && spec.max >= 9.2e18;
    const std::string lo = num(spec.min), hi = num(spec.max);
    if (hasMin && !spec.minOpen && hasMax && !spec.maxOpen && !maxIsLimit)
        return "between " + lo + " and " + hi;
    std::string out;
    if (hasMin) out = spec.minOpen ? "> " + lo : "at least " + lo;
    if (hasMax && !maxIsLimit)
        out += (out.empty() ? "" : " and ") + (spec.maxOpen ? "below " + hi : "at most " + hi);
    return out.empty() ? "a finite number" : out;
}

std::optional<ParamValue> coerceSetting(const SettingSpec& spec, const ParamValue& value) {
    switch (spec.type) {
        case SettingType::Int:
            if (std::holds_alternative<int64_t>(value)) return value;
            if (auto d = std::get_if<double>(&value); d && isWhole(*d))
                return static_cast<int64_t>(*d);
            return std::nullopt;
        case SettingType::Real:
            if (std::holds_alternative<double>(value)) return value;
            if (auto i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
            return std::nullopt;
        case SettingType::Bool:
            if (std::holds_alternative<bool>(value)) return value;
            return std::nullopt;
        default:
            if (std::holds_alternative<std::string>(value)) return value;
            return std::nullopt;
    }
}

std::string checkSetting(const SettingSpec& spec, const ParamValue& given) {
    const std::optional<ParamValue> value = coerceSetting(spec, given);
    if (!value)
        return "must be " +
               std::string(spec.type == SettingType::Int ? "a whole number"
                           : spec.isNumber()             ? "a number"
                                                         : "a " + settingTypeName(spec.type)) +
               ", got " + settingValueText(given);
    if (spec.isNumber()) {
        const double v = spec.type == SettingType::Int
                             ? static_cast<double>(std::get<int64_t>(*value))
                             : std::get<double>(*value);
        const bool ok = std::isfinite(v) && (spec.minOpen ? v > spec.min : v >= spec.min) &&
                        (spec.maxOpen ? v < spec.max : v <= spec.max);
        if (!ok) return "must be " + rangeText(spec) + ", got " + settingValueText(*value);
    }
    if (spec.type == SettingType::Choice && !spec.choices.empty()) {  // empty: checked elsewhere
        const std::string& v = std::get<std::string>(*value);
        bool known = false;
        std::string list;
        for (const std::string& c : spec.choices) {
            known = known || c == v;
            list += (list.empty() ? "" : ", ") + c;
        }
        if (!known) return "must be one of " + list + ", got '" + v + "'";
    }
    return {};
}

ParamValue parseSetting(const SettingSpec& spec, const std::string& text, const std::string& what) {
    auto fail = [&](const std::string& expected) -> ParamValue {
        throw Error(what + " must be " + expected + ", got '" + text + "'");
    };
    switch (spec.type) {
        case SettingType::Int: {
            errno = 0;
            char* end = nullptr;
            const long long v = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0' || errno == ERANGE) return fail("a whole number");
            return static_cast<int64_t>(v);
        }
        case SettingType::Real: {
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (text.empty() || *end != '\0') return fail("a number");
            return v;
        }
        case SettingType::Bool:
            if (text == "true" || text == "on" || text == "1" || text == "yes") return true;
            if (text == "false" || text == "off" || text == "0" || text == "no") return false;
            return fail("true or false");
        default:
            return text;
    }
}

std::string settingValueText(const ParamValue& value) {
    if (auto i = std::get_if<int64_t>(&value)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&value)) return num(*d);
    if (auto b = std::get_if<bool>(&value)) return *b ? "true" : "false";
    return std::get<std::string>(value);
}

std::string settingDisplayText(const SettingSpec& spec, const ParamValue& value) {
    if (!spec.zeroText.empty()) {
        if (auto i = std::get_if<int64_t>(&value); i && *i == 0) return spec.zeroText;
        if (auto d = std::get_if<double>(&value); d && *d == 0.0) return spec.zeroText;
        if (auto s = std::get_if<std::string>(&value); s && s->empty()) return spec.zeroText;
    }
    const std::string unit = spec.unit.empty() ? "" : " " + spec.unit;
    if (auto i = std::get_if<int64_t>(&value)) return std::to_string(*i) + unit;
    if (auto b = std::get_if<bool>(&value)) return *b ? "on" : "off";
    if (auto s = std::get_if<std::string>(&value)) {
        if (spec.type == SettingType::Choice) return spec.choiceLabel(*s);
        if (s->empty()) return spec.type == SettingType::Path ? "none" : "empty";
    }
    if (auto d = std::get_if<double>(&value)) {
        std::ostringstream s;
        s << *d;  // 6 significant digits, as the settings show numbers
        return s.str() + unit;
    }
    return settingValueText(value);
}

std::string settingTypeName(SettingType type) {
    switch (type) {
        case SettingType::Int:
            return "integer";
        case SettingType::Real:
            return "number";
        case SettingType::Bool:
            return "true/false";
        case SettingType::Choice:
            return "choice";
        case SettingType::Text:
            return "text";
        case SettingType::Path:
            return "path";
    }
    return "value";
}

}  // namespace netloom::engine
