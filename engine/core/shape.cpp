#include "engine/core/shape.h"

#include <cctype>
#include <sstream>

#include "engine/core/error.h"

namespace netloom::engine {

int64_t Shape::elements() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
}

static std::string join(const std::vector<int64_t>& dims, const char* sep) {
    std::string s;
    for (size_t i = 0; i < dims.size(); ++i) {
        if (i) s += sep;
        s += std::to_string(dims[i]);
    }
    return s.empty() ? "scalar" : s;
}

static const char* kSequenceMark = " (seq)";

std::string Shape::toString() const {
    return join(dims, "\u00d7") + (sequence ? kSequenceMark : "");
}
std::string Shape::toAsciiString() const {
    return join(dims, "x") + (sequence ? kSequenceMark : "");
}

Shape Shape::sequenceOf(std::vector<int64_t> dims) {
    Shape s(std::move(dims));
    s.sequence = true;
    return s;
}

Shape parseShape(const std::string& text) {
    Shape shape;
    // "28x28 (seq)": the suffix toString() writes marks the first axis as a sequence axis, so a
    // shape written as text (an Input's shape, a subgraph's cut) reads back the same.
    std::string body = text;
    const std::string mark = "(seq)";
    if (size_t at = body.rfind(mark);
        at != std::string::npos &&
        body.find_first_not_of(" \t", at + mark.size()) == std::string::npos) {
        shape.sequence = true;
        body.erase(at);
    }
    std::string token;
    auto flush = [&] {
        if (token.empty()) throw Error("shape \"" + text + "\" has an empty dimension");
        size_t used = 0;
        long long v = 0;
        try {
            v = std::stoll(token, &used);
        } catch (...) {
            used = 0;
        }
        if (used != token.size())
            throw Error("shape \"" + text + "\": \"" + token +
                        "\" is not a number (dimensions are like 1,28,28)");
        if (v <= 0 || v > (1ll << 31))
            throw Error("shape \"" + text + "\": \"" + token +
                        "\" is not a positive whole number (dimensions are like 1,28,28)");
        shape.dims.push_back(v);
        token.clear();
    };
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == ' ' || c == '\t') continue;
        // 'x' separates only between numbers ("28x28"); elsewhere ("1,28,x") it is a typo in a
        // dimension, reported as "not a number" rather than as an empty dimension.
        const size_t next = body.find_first_not_of(" \t", i + 1);
        const bool xBetweenNumbers = (c == 'x' || c == 'X') && !token.empty() &&
                                     next != std::string::npos &&
                                     std::isdigit(static_cast<unsigned char>(body[next]));
        if (c == ',' || xBetweenNumbers) {
            flush();
        } else {
            token += c;
        }
    }
    flush();
    if (shape.dims.size() > 4) throw Error("shape \"" + text + "\" has more than 4 dimensions");
    return shape;
}

}  // namespace netloom::engine
