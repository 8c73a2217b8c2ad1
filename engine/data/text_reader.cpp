#include "engine/data/text_reader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "engine/core/error.h"

namespace netloom::engine {

namespace {

const char* const kSpecialNames[kSpecialTokens] = {"<pad>", "<s>", "</s>"};

std::string baseName(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Bytes of the UTF-8 sequence starting with lead byte b, or 0 when b cannot start one.
int sequenceLength(unsigned char b) {
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return 2;
    if (b >= 0xE0 && b <= 0xEF) return 3;
    if (b >= 0xF0 && b <= 0xF4) return 4;
    return 0;
}

// The code point of a well-formed sequence (checked by utf8Characters), for sorting.
char32_t codePoint(const std::string& ch) {
    const auto* b = reinterpret_cast<const unsigned char*>(ch.data());
    switch (ch.size()) {
        case 1:
            return b[0];
        case 2:
            return ((b[0] & 0x1Fu) << 6) | (b[1] & 0x3Fu);
        case 3:
            return ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu);
        default:
            return ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) |
                   (b[3] & 0x3Fu);
    }
}

}  // namespace

std::vector<std::string> utf8Characters(const std::string& text, const std::string& sourceName) {
    std::vector<std::string> out;
    out.reserve(text.size());
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    for (size_t i = 0; i < n;) {
        const int len = sequenceLength(s[i]);
        bool ok = len > 0 && i + static_cast<size_t>(len) <= n;
        for (int k = 1; ok && k < len; ++k) ok = (s[i + static_cast<size_t>(k)] & 0xC0) == 0x80;
        // Overlong 3/4-byte forms, UTF-16 surrogates and code points above U+10FFFF.
        if (ok && len == 3)
            ok = !(s[i] == 0xE0 && s[i + 1] < 0xA0) && !(s[i] == 0xED && s[i + 1] >= 0xA0);
        if (ok && len == 4)
            ok = !(s[i] == 0xF0 && s[i + 1] < 0x90) && !(s[i] == 0xF4 && s[i + 1] >= 0x90);
        if (!ok)
            throw Error(sourceName + " is not valid UTF-8 text (bad byte 0x" +
                        [](unsigned v) {
                            const char* hex = "0123456789abcdef";
                            return std::string{hex[v >> 4], hex[v & 15]};
                        }(s[i]) +
                        " at byte offset " + std::to_string(i) + ")");
        out.emplace_back(text, i, static_cast<size_t>(len));
        i += static_cast<size_t>(len);
    }
    return out;
}

Dataset parseTextDataset(const std::string& text, const std::string& sourceName,
                         const TextOptions& options) {
    if (options.maxLineLength < 1)
        throw Error("text dataset: the maximum line length must be at least 1, got " +
                    std::to_string(options.maxLineLength));
    if (options.maxVocabulary < kSpecialTokens + 1)
        throw Error("text dataset: the vocabulary limit must be at least " +
                    std::to_string(kSpecialTokens + 1) +
                    " (3 special tokens and a character), got " +
                    std::to_string(options.maxVocabulary));
    if (text.empty()) throw Error(sourceName + " is empty: a text dataset needs lines of text");
    // A NUL byte never occurs in text: the file is binary (an image, an archive, UTF-16).
    if (const size_t nul = text.find('\0'); nul != std::string::npos) {
        const int64_t line = std::count(text.begin(), text.begin() + static_cast<long>(nul), '\n');
        throw Error(sourceName + " looks like a binary file, not text: it has a NUL byte at byte " +
                    "offset " + std::to_string(nul) + " (line " + std::to_string(line + 1) + ")");
    }

    // Lines as characters; a UTF-8 byte order mark and a '\r' before '\n' are not content.
    std::vector<std::vector<std::string>> lines;
    size_t start = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    int64_t lineNumber = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        ++lineNumber;
        size_t stop = end;
        if (stop > start && text[stop - 1] == '\r') --stop;
        const std::string where = sourceName + " line " + std::to_string(lineNumber);
        std::vector<std::string> chars = utf8Characters(text.substr(start, stop - start), where);
        if (static_cast<int64_t>(chars.size()) > options.maxLineLength)
            throw Error(where + " has " + std::to_string(chars.size()) +
                        " characters, over the limit of " + std::to_string(options.maxLineLength) +
                        " per line (the setting dataset.text_max_line; at most 1024)");
        if (!chars.empty()) lines.push_back(std::move(chars));
        start = end + 1;
    }
    if (lines.empty()) throw Error(sourceName + " has no text: every line is blank");

    // The vocabulary: special tokens, then the distinct characters in code-point order.
    std::set<std::pair<char32_t, std::string>> distinct;
    for (const auto& line : lines)
        for (const std::string& ch : line) distinct.insert({codePoint(ch), ch});
    const int64_t vocabularySize = kSpecialTokens + static_cast<int64_t>(distinct.size());
    if (vocabularySize > options.maxVocabulary)
        throw Error(sourceName + " has " + std::to_string(distinct.size()) +
                    " distinct characters: with the 3 special tokens that is a vocabulary of " +
                    std::to_string(vocabularySize) + ", over the limit of " +
                    std::to_string(options.maxVocabulary) +
                    " (the setting dataset.text_max_vocabulary)");
    Dataset d;
    d.name = sourceName;
    for (const char* s : kSpecialNames) d.vocabulary.emplace_back(s);
    std::map<std::string, int32_t> ids;
    for (const auto& [cp, ch] : distinct) {
        ids[ch] = static_cast<int32_t>(d.vocabulary.size());
        d.vocabulary.push_back(ch);
    }
    d.vocabularySize = vocabularySize;

    const int64_t steps = options.maxLineLength + 1;
    d.sampleShape = Shape{steps};
    d.count = static_cast<int64_t>(lines.size());
    d.targetSize = steps;
    d.tokens.assign(static_cast<size_t>(d.count * steps), kPadToken);
    d.targets.assign(static_cast<size_t>(d.count * steps), static_cast<float>(kPadToken));
    for (size_t i = 0; i < lines.size(); ++i) {
        int32_t* in = d.tokens.data() + i * static_cast<size_t>(steps);
        float* out = d.targets.data() + i * static_cast<size_t>(steps);
        in[0] = kStartToken;
        for (size_t k = 0; k < lines[i].size(); ++k) {
            const int32_t id = ids.at(lines[i][k]);
            in[k + 1] = id;
            out[k] = static_cast<float>(id);
        }
        out[lines[i].size()] = static_cast<float>(kEndToken);
    }
    return d;
}

Dataset readTextDataset(const std::string& path, const TextOptions& options) {
    if (path.empty()) throw Error("text dataset: no file is set (dataset.text_path)");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error("cannot open text file " + path);
    const std::streamoff size = in.tellg();
    if (size < 0) throw Error("cannot read text file " + path);
    if (size > kTextMaxFileBytes)
        throw Error(path + " is " + std::to_string(size >> 20) + " MiB, over the text dataset " +
                    "limit of " + std::to_string(kTextMaxFileBytes >> 20) + " MiB");
    std::string text(static_cast<size_t>(size), '\0');
    in.seekg(0);
    if (size > 0 && !in.read(text.data(), size)) throw Error("cannot read text file " + path);
    Dataset d = parseTextDataset(text, path, options);
    d.name = baseName(path);
    return d;
}

Dataset readTextDataset(const DatasetConfig& config) {
    if (config.kind != "text")
        throw Error("the project's dataset is '" + config.kind +
                    "', not a text file: only a text dataset has a vocabulary to write with");
    return readTextDataset(config.textPath, {config.textMaxLine, config.textMaxVocabulary});
}

std::vector<int32_t> encodeText(const std::string& text,
                                const std::vector<std::string>& vocabulary) {
    std::vector<int32_t> ids;
    for (const std::string& ch : utf8Characters(text, "the text")) {
        auto it =
            std::find(vocabulary.begin() + std::min<size_t>(kSpecialTokens, vocabulary.size()),
                      vocabulary.end(), ch);
        if (it == vocabulary.end())
            throw Error("'" + ch + "' is not in the vocabulary (" +
                        std::to_string(vocabulary.size()) + " tokens)");
        ids.push_back(static_cast<int32_t>(it - vocabulary.begin()));
    }
    return ids;
}

std::string tokenText(const std::vector<std::string>& vocabulary, int32_t id) {
    if (id < 0 || static_cast<size_t>(id) >= vocabulary.size()) return "?";
    return vocabulary[static_cast<size_t>(id)];
}

}  // namespace netloom::engine
