#pragma once
// The one error type of the engine. Messages are written for the user: they say what is wrong,
// where (file, JSON path, node name, step) and, when we know it, what to do about it.
#include <stdexcept>
#include <string>

namespace netloom {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace netloom
