#include "engine/io/json_read.h"

#include <cmath>
#include <limits>

#include "engine/core/error.h"
#include "engine/io/json_blobs.h"

namespace netloom::engine {
namespace {

// Finds where the nesting first exceeds the limit, without building anything. Brackets inside
// strings do not count. Returns npos when the depth is fine.
size_t findExcessiveNesting(std::string_view text) {
    int depth = 0;
    bool inString = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::string_view::npos;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 5: " prefix (we compute and print the position ourselves).
std::string parseReason(const std::string& what) {
    std::string s = what;
    if (s.rfind("[json.exception.", 0) == 0) {
        size_t close = s.find("] ");
        if (close != std::string::npos) s = s.substr(close + 2);
    }
    if (s.rfind("parse error", 0) == 0) {
        size_t colon = s.find(": ");
        if (colon != std::string::npos) s = s.substr(colon + 2);
    }
    return s;
}

std::string positionText(const TextPosition& p) {
    return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

}  // namespace

TextPosition textPosition(std::string_view text, size_t offset) {
    if (offset > text.size()) offset = text.size();
    TextPosition p;
    size_t lineStart = 0;
    for (size_t i = 0; i < offset; ++i)
        if (text[i] == '\n') {
            ++p.line;
            lineStart = i + 1;
        }
    p.column = static_cast<int64_t>(offset - lineStart) + 1;
    return p;
}

namespace {

nlohmann::json parsePlain(const std::string& text, const std::string& sourceName) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is the 1-based index of the last byte read: the offending one.
        size_t offset = e.byte > 0 ? static_cast<size_t>(e.byte - 1) : 0;
        throw Error(sourceName + ": at " + positionText(textPosition(text, offset)) +
                    ": not valid JSON: " + parseReason(e.what()));
    } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
        throw Error(sourceName + ": not valid JSON: " + parseReason(e.what()));
    }
}

}  // namespace

ParsedJson parseJsonText(const std::string& text, const std::string& sourceName) {
    size_t deep = findExcessiveNesting(text);
    if (deep != std::string_view::npos)
        throw Error(sourceName + ": at " + positionText(textPosition(text, deep)) +
                    ": not valid JSON: nested more than " + std::to_string(kMaxJsonDepth) +
                    " levels deep");
    ParsedJson out;
    if (std::optional<LiftedText> lifted = liftBlobs(text)) {
        try {
            out.doc = nlohmann::json::parse(lifted->text);
            out.blobs = std::move(lifted->blobs);
            return out;
        } catch (const nlohmann::json::exception&) {
            // Positions in the lifted text are off: parse the original to report the error.
        }
    }
    out.doc = parsePlain(text, sourceName);
    return out;
}

std::string jsonPointerToken(const std::string& key) {
    std::string out;
    out.reserve(key.size());
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

void JsonCursor::fail(const std::string& reason) const {
    throw Error(*m_source + ": at " + (m_path.empty() ? std::string("/") : m_path) + ": " + reason);
}

void JsonCursor::failType(const char* expected) const {
    fail(std::string("must be ") + expected + ", got " +
         (m_value->is_null() ? std::string("null") : std::string(m_value->type_name())));
}

void JsonCursor::expectObject() const {
    if (!m_value->is_object()) failType("an object");
}

void JsonCursor::expectArray() const {
    if (!m_value->is_array()) failType("an array");
}

std::optional<JsonCursor> JsonCursor::find(const std::string& key) const {
    expectObject();
    auto it = m_value->find(key);
    if (it == m_value->end()) return std::nullopt;
    return child(*it, jsonPointerToken(key));
}

JsonCursor JsonCursor::member(const std::string& key) const {
    auto c = find(key);
    if (!c) fail("missing field \"" + key + "\"");
    return *c;
}

std::vector<std::pair<std::string, JsonCursor>> JsonCursor::members() const {
    expectObject();
    std::vector<std::pair<std::string, JsonCursor>> out;
    out.reserve(m_value->size());
    for (auto it = m_value->begin(); it != m_value->end(); ++it)
        out.emplace_back(it.key(), child(it.value(), jsonPointerToken(it.key())));
    return out;
}

std::vector<JsonCursor> JsonCursor::elements() const {
    expectArray();
    std::vector<JsonCursor> out;
    out.reserve(m_value->size());
    size_t i = 0;
    for (const auto& v : *m_value) out.push_back(child(v, std::to_string(i++)));
    return out;
}

std::string JsonCursor::asString() const {
    return std::string(asStringView());
}

std::string_view JsonCursor::asStringView() const {
    if (!m_value->is_string()) failType("a string");
    const std::string& s = m_value->get_ref<const std::string&>();
    if (m_blobs)
        if (auto blob = resolveBlob(s, *m_blobs)) return *blob;
    return s;
}

int64_t JsonCursor::asInt(int64_t min, int64_t max) const {
    int64_t v = 0;
    if (m_value->is_number_unsigned()) {
        uint64_t u = m_value->get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail("must be at most " + std::to_string(max) + ", got " + std::to_string(u));
        v = static_cast<int64_t>(u);
    } else if (m_value->is_number_integer()) {
        v = m_value->get<int64_t>();
    } else if (m_value->is_number_float()) {
        double d = m_value->get<double>();
        // 2^63 is exactly representable; anything below it converts without overflow.
        if (!(std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2233720368547758e18))
            failType("a whole number");
        v = static_cast<int64_t>(d);
    } else {
        failType("a whole number");
    }
    if (v < min || v > max) {
        if (max == std::numeric_limits<int64_t>::max())
            fail("must be at least " + std::to_string(min) + ", got " + std::to_string(v));
        fail("must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
             std::to_string(v));
    }
    return v;
}

uint64_t JsonCursor::asUInt64() const {
    if (m_value->is_number_unsigned()) return m_value->get<uint64_t>();
    if (m_value->is_number_integer()) {
        int64_t v = m_value->get<int64_t>();
        if (v < 0) fail("must be at least 0, got " + std::to_string(v));
        return static_cast<uint64_t>(v);
    }
    return static_cast<uint64_t>(asInt(0));
}

double JsonCursor::asDouble() const {
    if (m_value->is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!m_value->is_number()) failType("a number");
    return m_value->get<double>();
}

bool JsonCursor::asBool() const {
    if (!m_value->is_boolean()) failType("true or false");
    return m_value->get<bool>();
}

void JsonCursor::read(const std::string& key, std::string& out) const {
    if (auto c = find(key)) out = c->asString();
}

void JsonCursor::read(const std::string& key, int64_t& out, int64_t min, int64_t max) const {
    if (auto c = find(key)) out = c->asInt(min, max);
}

void JsonCursor::read(const std::string& key, int& out, int min, int max) const {
    if (auto c = find(key)) out = static_cast<int>(c->asInt(min, max));
}

void JsonCursor::read(const std::string& key, uint64_t& out) const {
    if (auto c = find(key)) out = c->asUInt64();
}

void JsonCursor::read(const std::string& key, double& out) const {
    if (auto c = find(key)) out = c->asDouble();
}

void JsonCursor::read(const std::string& key, bool& out) const {
    if (auto c = find(key)) out = c->asBool();
}

}  // namespace netloom::engine
