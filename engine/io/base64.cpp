#include "engine/io/base64.h"

#include <array>

namespace netloom::engine {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Maps a character to its 6-bit value, or -1 when it is not in the alphabet.
constexpr std::array<int8_t, 256> makeDecodeTable() {
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
    return t;
}
constexpr std::array<int8_t, 256> kDecode = makeDecodeTable();

std::string describeChar(size_t index, char c) {
    std::string shown = (c >= 0x20 && c < 0x7f) ? std::string(1, c)
                                                : "byte " + std::to_string(static_cast<uint8_t>(c));
    return "character " + std::to_string(index + 1) + " ('" + shown + "') is not base64";
}

}  // namespace

size_t base64EncodedLength(size_t bytes) {
    return (bytes + 2) / 3 * 4;
}

std::string base64Encode(const uint8_t* data, size_t size) {
    std::string out;
    out.resize(base64EncodedLength(size));
    size_t o = 0, i = 0;
    for (; i + 3 <= size; i += 3) {
        uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
        out[o++] = kAlphabet[(v >> 18) & 63];
        out[o++] = kAlphabet[(v >> 12) & 63];
        out[o++] = kAlphabet[(v >> 6) & 63];
        out[o++] = kAlphabet[v & 63];
    }
    if (size - i == 1) {
        uint32_t v = uint32_t{data[i]} << 16;
        out[o++] = kAlphabet[(v >> 18) & 63];
        out[o++] = kAlphabet[(v >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (size - i == 2) {
        uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
        out[o++] = kAlphabet[(v >> 18) & 63];
        out[o++] = kAlphabet[(v >> 12) & 63];
        out[o++] = kAlphabet[(v >> 6) & 63];
        out[o++] = '=';
    }
    return out;
}

size_t base64DecodedLength(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return 0;
    size_t padding = 0;
    if (text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
    return text.size() / 4 * 3 - padding;
}

std::string base64Decode(std::string_view text, uint8_t* out, size_t size) {
    if (text.size() % 4 != 0)
        return "length " + std::to_string(text.size()) + " is not a multiple of 4";
    if (size != base64DecodedLength(text))
        return "decodes to " + std::to_string(base64DecodedLength(text)) + " bytes, not " +
               std::to_string(size);
    if (text.empty()) return {};
    const size_t padding = text.size() / 4 * 3 - size;
    const size_t body = text.size() - padding;  // characters that carry bits
    for (size_t i = 0; i < body; ++i)
        if (kDecode[static_cast<uint8_t>(text[i])] < 0) return describeChar(i, text[i]);

    auto val = [&](size_t k) {
        return static_cast<uint32_t>(kDecode[static_cast<uint8_t>(text[k])]);
    };
    size_t o = 0, i = 0;
    for (; i + 4 <= body; i += 4) {
        uint32_t v = (val(i) << 18) | (val(i + 1) << 12) | (val(i + 2) << 6) | val(i + 3);
        out[o++] = static_cast<uint8_t>(v >> 16);
        out[o++] = static_cast<uint8_t>(v >> 8);
        out[o++] = static_cast<uint8_t>(v);
    }
    if (padding == 2) {
        uint32_t v = (val(i) << 18) | (val(i + 1) << 12);
        if (v & 0xffff) return "the last group has stray bits";
        out[o++] = static_cast<uint8_t>(v >> 16);
    } else if (padding == 1) {
        uint32_t v = (val(i) << 18) | (val(i + 1) << 12) | (val(i + 2) << 6);
        if (v & 0xff) return "the last group has stray bits";
        out[o++] = static_cast<uint8_t>(v >> 16);
        out[o++] = static_cast<uint8_t>(v >> 8);
    }
    return {};
}

std::string base64Decode(std::string_view text, std::vector<uint8_t>& out) {
    out.resize(base64DecodedLength(text));
    std::string reason = base64Decode(text, out.data(), out.size());
    if (!reason.empty()) out.clear();
    return reason;
}

}  // namespace netloom::engine
