#pragma once
// The description of one setting: its key in the project file, type, range, default, label and
// help. The optimizers declare their hyperparameters with it (this folder), and engine/settings
// builds the schema of every training setting from it; JSON, validation, CLI flags, the settings
// widget, undo labels and the docs all read that schema, so a range is written once.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/layers/params.h"

namespace netloom::engine {

enum class SettingType { Int, Real, Bool, Choice, Text, Path };

struct SettingSpec {
    std::string key;    // name in its project-file object: "lr", "batch_size"
    std::string label;  // "Learning rate"
    std::string help;   // one sentence: tooltip, --help, docs
    SettingType type = SettingType::Real;
    ParamValue defaultValue = 0.0;  // int64_t (Int), double (Real), bool, string (the others)
    // Int and Real: the range; an open end excludes its bound (learning rate > 0, β < 1).
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool minOpen = false, maxOpen = false;
    std::vector<std::string> choices;       // Choice: the ids
    std::vector<std::string> choiceLabels;  // Choice: shown names, same order (empty: the ids)
    std::string zeroText;   // what 0 (or empty text) means, shown instead ("off", "all")
    std::string unit;       // shown after numbers other than 0: "iterations"
    bool logSteps = false;  // Real: arrows walk 1-2-5 (learning rates)
    double step = 0;        // Real: arrow step; 0 = a tenth of the range

    static SettingSpec integer(std::string key, std::string label, int64_t def, int64_t min,
                               int64_t max, std::string help);
    static SettingSpec real(std::string key, std::string label, double def, double min, double max,
                            std::string help);
    static SettingSpec boolean(std::string key, std::string label, bool def, std::string help);
    static SettingSpec choice(std::string key, std::string label, std::vector<std::string> ids,
                              std::vector<std::string> labels, std::string def, std::string help);
    static SettingSpec text(std::string key, std::string label, std::string def, std::string help);
    static SettingSpec path(std::string key, std::string label, std::string help);
    // Chainable refinements.
    SettingSpec& openMin() {
        minOpen = true;
        return *this;
    }
    SettingSpec& openMax() {
        maxOpen = true;
        return *this;
    }
    SettingSpec& zero(std::string text) {
        zeroText = std::move(text);
        return *this;
    }
    SettingSpec& withUnit(std::string u) {
        unit = std::move(u);
        return *this;
    }
    SettingSpec& logarithmic() {
        logSteps = true;
        return *this;
    }
    SettingSpec& withStep(double s) {
        step = s;
        return *this;
    }

    bool isNumber() const { return type == SettingType::Int || type == SettingType::Real; }
    // The shown name of a choice id (the id itself when unknown).
    std::string choiceLabel(const std::string& id) const;
};

// "between 1 and 65536", "> 0 and at most 10", "at least 0 and below 1", "at least 0".
std::string rangeText(const SettingSpec& spec);
// Empty when `value` suits the spec, else "must be between 1 and 65536, got 0" (or "must be
// one of sgd, adam, ...", "must be a whole number, got 2.5"). Non-finite numbers never pass.
std::string checkSetting(const SettingSpec& spec, const ParamValue& value);
// An int64 given for a Real becomes a double; a whole double given for an Int an int64.
// Returns nothing when the value's type does not fit (e.g. text for a number).
std::optional<ParamValue> coerceSetting(const SettingSpec& spec, const ParamValue& value);
// Parses text as typed on a command line ("64", "1e-3", "true", "sgd"); throws Error
// "<what> must be ..." when it is not of the spec's type (the range is checked separately).
ParamValue parseSetting(const SettingSpec& spec, const std::string& text, const std::string& what);
// "0.001", "64", "true", "adam": compact, round-trips through parseSetting.
std::string settingValueText(const ParamValue& value);
// As the settings and undo labels show it: zeroText for 0, the choice label, "on"/"off".
std::string settingDisplayText(const SettingSpec& spec, const ParamValue& value);
std::string settingTypeName(SettingType type);  // "integer", "number", ...

}  // namespace netloom::engine
