#include <cstdio>

#include "app/cli.h"
#include "engine/core/error.h"

namespace netloom::app {

std::string ArgReader::value(const std::string& flag) {
    if (done()) throw Error(flag + " needs a value");
    return next();
}

void ArgReader::positional(const std::string& arg, std::string& file) {
    if (!arg.empty() && arg[0] == '-') throw Error("unknown option " + arg);
    if (!file.empty())
        throw Error("more than one project file given ('" + file + "', '" + arg + "')");
    file = arg;
}

long long ArgReader::integer(const std::string& flag, long long min, long long max) {
    std::string v = value(flag);
    size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(v, &used);
    } catch (...) {
        used = 0;
    }
    if (used != v.size() || v.empty()) throw Error(flag + " needs a whole number, got '" + v + "'");
    if (n < min || n > max)
        throw Error(flag + " must be between " + std::to_string(min) + " and " +
                    std::to_string(max) + ", got " + v);
    return n;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "netloom: error: %s\n", message.c_str());
    return 1;
}

}  // namespace netloom::app
