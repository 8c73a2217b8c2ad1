#pragma once
// Shape of one sample, without the batch axis: {features}, {C, H, W}, or a sequence {T, features}
// whose first axis is a time/token axis (`sequence` set; Reshape's "sequence" option makes one).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace netloom::engine {

struct Shape {
    std::vector<int64_t> dims;
    bool sequence = false;  // the first axis is a sequence (time/token) axis

    Shape() = default;
    Shape(std::initializer_list<int64_t> d) : dims(d) {}
    explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}

    int rank() const { return static_cast<int>(dims.size()); }
    int64_t operator[](int i) const { return dims[static_cast<size_t>(i)]; }
    int64_t elements() const;  // product of dims (1 for rank 0)
    bool operator==(const Shape&) const = default;
    std::string toString() const;       // "64×7×7", "28×28 (seq)"
    std::string toAsciiString() const;  // "64x7x7", "28x28 (seq)"

    // The same dims marked as a sequence over the first axis.
    static Shape sequenceOf(std::vector<int64_t> dims);
};

// Parses "1,28,28" or "1x28x28"; throws netloom::Error naming the bad part.
Shape parseShape(const std::string& text);

}  // namespace netloom::engine
