#pragma once
// Standard base64 (RFC 4648, "+/" alphabet, '=' padding, no line breaks) for tensor data in
// project files. The decoder is strict: it rejects anything the encoder would not produce, so a
// damaged file is reported instead of silently loading garbage.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netloom::engine {

// Length of the encoding of `bytes` bytes (a multiple of 4).
size_t base64EncodedLength(size_t bytes);

std::string base64Encode(const uint8_t* data, size_t size);

// Number of bytes `text` decodes to, from its length and padding (0 when the length is not a
// multiple of 4: base64Decode reports that).
size_t base64DecodedLength(std::string_view text);

// Decodes `text` into out[0, size), where size must be base64DecodedLength(text), so that big
// tensors decode straight into their storage. Returns an empty string on success, else the
// reason ("character 17 ('#') is not base64").
std::string base64Decode(std::string_view text, uint8_t* out, size_t size);

// Convenience: decodes into `out`, resized to fit.
std::string base64Decode(std::string_view text, std::vector<uint8_t>& out);

}  // namespace netloom::engine
