#pragma once
// Reading untrusted JSON with a path. parseJsonText() turns syntax errors into
// "<source>: at line L, column C: ..." and refuses absurd nesting before nlohmann sees it.
// JsonCursor is a (value, JSON-pointer path) pair: every accessor checks the type it expects,
// so every error reads "<source>: at /networks/0/nodes/3/params/units: <reason>".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace netloom::engine {

// Deeper documents are refused before parsing (project files need fewer than 10 levels).
inline constexpr int kMaxJsonDepth = 256;

struct TextPosition {
    int64_t line = 1;    // 1-based
    int64_t column = 1;  // 1-based, in bytes
};
// Line and column of the byte at `offset` (offsets past the end point just after the text).
TextPosition textPosition(std::string_view text, size_t offset);

struct ParsedJson {
    nlohmann::json doc;
    std::vector<std::string_view> blobs;  // long strings kept out of `doc` (json_blobs.h): views
                                          // into the parsed text, which must outlive them
};

// Throws netloom::Error "<source>: at line L, column C: not valid JSON: <reason>".
ParsedJson parseJsonText(const std::string& text, const std::string& sourceName);

// Escapes one key for a JSON pointer ("~" → "~0", "/" → "~1").
std::string jsonPointerToken(const std::string& key);

class JsonCursor {
public:
    // `source` and `blobs` must outlive the cursor and every cursor derived from it.
    JsonCursor(const nlohmann::json& value, const std::string& source,
               const std::vector<std::string_view>* blobs = nullptr, std::string path = {})
        : m_value(&value), m_source(&source), m_blobs(blobs), m_path(std::move(path)) {}

    const nlohmann::json& value() const { return *m_value; }
    const std::string& path() const { return m_path; }  // "" at the root
    // Throws netloom::Error "<source>: at <path>: <reason>" ("/" stands for the root).
    [[noreturn]] void fail(const std::string& reason) const;

    // Objects. find() returns nothing when the key is absent; member() fails then.
    // Both fail when this is not an object.
    std::optional<JsonCursor> find(const std::string& key) const;
    JsonCursor member(const std::string& key) const;
    std::vector<std::pair<std::string, JsonCursor>> members() const;
    // Arrays (fails when this is not an array).
    std::vector<JsonCursor> elements() const;

    void expectObject() const;
    void expectArray() const;
    bool isNull() const { return m_value->is_null(); }

    std::string asString() const;
    std::string_view asStringView() const;  // valid as long as the document and the text
    // Whole numbers; a float with no fractional part is accepted (hand-edited files).
    int64_t asInt(int64_t min = INT64_MIN, int64_t max = INT64_MAX) const;
    uint64_t asUInt64() const;
    double asDouble() const;  // null reads as NaN (how non-finite numbers are written)
    bool asBool() const;

    // Optional members: when `key` is present, `out` takes its value; else `out` keeps its
    // default. The value's type is checked all the same.
    void read(const std::string& key, std::string& out) const;
    void read(const std::string& key, int64_t& out, int64_t min = INT64_MIN,
              int64_t max = INT64_MAX) const;
    void read(const std::string& key, int& out, int min, int max) const;
    void read(const std::string& key, uint64_t& out) const;
    void read(const std::string& key, double& out) const;
    void read(const std::string& key, bool& out) const;

private:
    JsonCursor child(const nlohmann::json& v, const std::string& token) const {
        return JsonCursor(v, *m_source, m_blobs, m_path + "/" + token);
    }
    [[noreturn]] void failType(const char* expected) const;

    const nlohmann::json* m_value;
    const std::string* m_source;
    const std::vector<std::string_view>* m_blobs;
    std::string m_path;
};

}  // namespace netloom::engine
