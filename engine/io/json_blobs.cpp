#include "engine/io/json_blobs.h"

#include <charconv>

namespace netloom::engine {
namespace {

constexpr std::string_view kPrefix = "@@nlblob:";
constexpr std::string_view kSuffix = "@@";

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
}

bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::string blobPlaceholder(size_t index) {
    std::string s(kPrefix);
    s += std::to_string(index);
    s += kSuffix;
    return s;
}

std::optional<LiftedText> liftBlobs(std::string_view text) {
    if (text.size() < kBlobMinLength || text.find(kPrefix) != std::string_view::npos)
        return std::nullopt;
    LiftedText out;
    size_t copied = 0;  // text[0, copied) is already in out.text
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '"') {
            ++i;
            continue;
        }
        const size_t open = i;
        bool plain = true;  // only base64 characters, hence no escapes
        size_t j = open + 1;
        for (; j < text.size() && text[j] != '"'; ++j) {
            if (text[j] == '\\') {
                plain = false;
                ++j;  // skip the escaped character
            } else if (plain && !isBase64Char(text[j])) {
                plain = false;
            }
        }
        if (j >= text.size()) break;  // unterminated: leave it to the parser to report
        const size_t close = j;
        size_t next = close + 1;
        while (next < text.size() && isJsonSpace(text[next])) ++next;
        const bool isKey = next < text.size() && text[next] == ':';
        if (plain && !isKey && close - open - 1 >= kBlobMinLength) {
            if (out.text.empty()) out.text.reserve(text.size() / 8);
            out.text.append(text.substr(copied, open + 1 - copied));
            out.text += blobPlaceholder(out.blobs.size());
            out.blobs.push_back(text.substr(open + 1, close - open - 1));
            copied = close;  // the closing quote is copied with the next chunk
        }
        i = close + 1;
    }
    if (out.blobs.empty()) return std::nullopt;
    out.text.append(text.substr(copied));
    return out;
}

std::optional<std::string_view> resolveBlob(std::string_view s,
                                            const std::vector<std::string_view>& blobs) {
    if (blobs.empty() || s.size() <= kPrefix.size() + kSuffix.size() ||
        s.substr(0, kPrefix.size()) != kPrefix || s.substr(s.size() - kSuffix.size()) != kSuffix)
        return std::nullopt;
    std::string_view digits = s.substr(kPrefix.size(), s.size() - kPrefix.size() - kSuffix.size());
    size_t index = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec != std::errc() || end != digits.data() + digits.size() || index >= blobs.size())
        return std::nullopt;
    return blobs[index];
}

std::optional<std::string> spliceBlobs(const std::string& dumped,
                                       const std::vector<std::string>& blobs) {
    size_t occurrences = 0;
    for (size_t p = dumped.find(kPrefix); p != std::string::npos; p = dumped.find(kPrefix, p + 1))
        ++occurrences;
    if (occurrences != blobs.size()) return std::nullopt;
    size_t total = dumped.size();
    for (const std::string& b : blobs) total += b.size();
    std::string out;
    out.reserve(total + 1);  // room for the caller's final newline
    size_t pos = 0;
    for (size_t i = 0; i < blobs.size(); ++i) {
        std::string token(1, '"');  // built piecewise: GCC 12 warns falsely on "x" + string
        token += blobPlaceholder(i);
        token += '"';
        size_t at = dumped.find(token, pos);
        if (at == std::string::npos) return std::nullopt;
        out.append(dumped, pos, at + 1 - pos);
        out += blobs[i];
        pos = at + token.size() - 1;  // the closing quote is copied with the next chunk
    }
    out.append(dumped, pos, std::string::npos);
    return out;
}

}  // namespace netloom::engine
