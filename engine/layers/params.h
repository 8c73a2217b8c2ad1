#pragma once
// Typed layer parameters and the schema that describes them. The palette, the inspector, the
// project file and validation all read the schema, so a layer declares each parameter once.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace netloom::engine {

enum class ParamType { Int, Float, Bool, Choice, Shape };

using ParamValue = std::variant<int64_t, double, bool, std::string>;

struct ParamSpec {
    std::string key;    // stable id used in files: "units"
    std::string label;  // shown in the inspector: "Units"
    std::string help;   // tooltip
    ParamType type = ParamType::Int;
    ParamValue defaultValue = int64_t{0};
    double min = 0;  // inclusive range for Int / Float
    double max = 0;
    std::vector<std::string> choices;  // for Choice

    static ParamSpec integer(std::string key, std::string label, int64_t def, int64_t min,
                             int64_t max, std::string help);
    static ParamSpec real(std::string key, std::string label, double def, double min, double max,
                          std::string help);
    static ParamSpec boolean(std::string key, std::string label, bool def, std::string help);
    static ParamSpec choice(std::string key, std::string label, std::vector<std::string> choices,
                            std::string def, std::string help);
    static ParamSpec shape(std::string key, std::string label, std::string def, std::string help);
};

using ParamSchema = std::vector<ParamSpec>;

// Values of one node's parameters, always complete and valid once through normalizeParams().
class Params {
public:
    Params() = default;

    int64_t getInt(const std::string& key) const;
    double getFloat(const std::string& key) const;
    bool getBool(const std::string& key) const;
    const std::string& getString(const std::string& key) const;  // Choice and Shape
    bool has(const std::string& key) const { return m_values.count(key) != 0; }

    void set(const std::string& key, ParamValue v) { m_values[key] = std::move(v); }
    const std::map<std::string, ParamValue>& values() const { return m_values; }
    bool operator==(const Params&) const = default;

private:
    const ParamValue& at(const std::string& key) const;
    std::map<std::string, ParamValue> m_values;
};

// Fills defaults, converts compatible values (an integer given for a float) and checks ranges
// and choices. Throws netloom::Error: "<where>: parameter 'units' must be between 1 and 65536, got
// 0".
Params normalizeParams(const ParamSchema& schema, const Params& given, const std::string& where);

// Checks one value against its spec; returns an empty string when valid, else the reason.
std::string checkParamValue(const ParamSpec& spec, const ParamValue& value);

std::string paramValueToString(const ParamValue& v);

}  // namespace netloom::engine
