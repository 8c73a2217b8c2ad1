#pragma once
// Text files as character sequences, for next-character prediction (the sequence-generation
// task). The file is UTF-8 text split into lines (blank lines skipped, a trailing '\r' dropped);
// every line is one sample. Tokens are Unicode characters; the vocabulary is the file's distinct
// characters in code-point order after three special tokens:
//   0 <pad>  fills the steps after a line's end (ignored by the loss)
//   1 <s>    start of line: the first input step
//   2 </s>   end of line: the last target step
// A line c1..cn (n ≤ maxLineLength) becomes, over T = maxLineLength + 1 steps,
//   input  (Dataset::tokens)   <s> c1 c2 … cn <pad> …
//   target (Dataset::targets)  c1  c2 … cn </s> <pad> …   (ids as floats, targetSize T)
// so the target at each step is the next token of the input.
//
// Refused with a message naming the file (and line): a missing or unreadable file, a file over
// kTextMaxFileBytes, a binary file (a NUL byte), invalid UTF-8, a file without a non-empty line,
// a line longer than maxLineLength characters, and more distinct characters than
// maxVocabulary − 3 (the limit counts the special tokens).
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace netloom::engine {

inline constexpr int64_t kTextMaxFileBytes = int64_t{256} << 20;  // 256 MiB
inline constexpr int32_t kPadToken = 0;
inline constexpr int32_t kStartToken = 1;
inline constexpr int32_t kEndToken = 2;
inline constexpr int32_t kSpecialTokens = 3;

struct TextOptions {
    int64_t maxLineLength = 32;   // characters per line (dataset.text_max_line)
    int64_t maxVocabulary = 256;  // tokens, special ones included (dataset.text_max_vocabulary)
};

// The dataset of a text file: tokens {T} per line, next-token targets {T}, vocabulary and
// vocabularySize set. Throws netloom::Error as described above.
Dataset readTextDataset(const std::string& path, const TextOptions& options);
// The same from text in memory; sourceName is used in messages.
Dataset parseTextDataset(const std::string& text, const std::string& sourceName,
                         const TextOptions& options);

// The dataset a text config names (dataset.kind "text": its file and limits), whole and
// unsplit: what sampling reads the vocabulary from. Throws Error for another kind.
Dataset readTextDataset(const DatasetConfig& config);

// Splits UTF-8 text into characters (each one code point's bytes); throws Error naming
// `sourceName` and the byte offset at the first invalid sequence.
std::vector<std::string> utf8Characters(const std::string& text, const std::string& sourceName);

// The token id of each character of `text` in the vocabulary; throws Error naming a character
// the vocabulary does not hold ("'é' is not in the vocabulary of words").
std::vector<int32_t> encodeText(const std::string& text,
                                const std::vector<std::string>& vocabulary);

// How a token shows in text: special tokens as "<s>", "</s>", "<pad>", others as themselves.
std::string tokenText(const std::vector<std::string>& vocabulary, int32_t id);

}  // namespace netloom::engine
