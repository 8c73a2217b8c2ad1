#pragma once
// Long strings (tensor data) bypass nlohmann's per-character lexer and dumper, which cost about
// 50–90 ns per character: a 10M-parameter project took 2.5 s to write and 4.5 s to read.
//
// Reading: liftBlobs() copies the text with every long string value made only of base64
// characters replaced by a short placeholder "@@nlblob:<i>@@", and keeps views of the originals
// (JsonCursor resolves placeholders). Writing: the document holds placeholders and spliceBlobs()
// puts the strings into the dumped text. Replacing one plain string token by another never
// changes whether or how the JSON parses. Both give up when the text already contains the
// placeholder prefix, so a placeholder always stands for a lifted string.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netloom::engine {

inline constexpr size_t kBlobMinLength = 4096;

struct LiftedText {
    std::string text;                     // the JSON with placeholders
    std::vector<std::string_view> blobs;  // views into the original text
};

// nullopt when nothing was lifted or lifting is not safe (the prefix occurs in the text).
std::optional<LiftedText> liftBlobs(std::string_view text);

std::string blobPlaceholder(size_t index);

// The blob a placeholder stands for; nullopt when `s` is not a placeholder.
std::optional<std::string_view> resolveBlob(std::string_view s,
                                            const std::vector<std::string_view>& blobs);

// Replaces each quoted placeholder i in `dumped` by blobs[i] (which must need no JSON escaping).
// nullopt when the placeholders are not exactly the ones expected (a user string contains the
// prefix): the caller then dumps the full document instead.
std::optional<std::string> spliceBlobs(const std::string& dumped,
                                       const std::vector<std::string>& blobs);

}  // namespace netloom::engine
