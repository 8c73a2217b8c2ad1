#include <cmath>
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

namespace {
std::string shortNumber(double x) {  // 0.9, not 0.900000
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}
}  // namespace

double ArgReader::real(const std::string& flag, double min, double maxExclusive) {
    std::string v = value(flag);
    size_t used = 0;
    double x = 0;
    try {
        x = std::stod(v, &used);
    } catch (...) {
        used = 0;
    }
    if (used != v.size() || v.empty() || !std::isfinite(x))
        throw Error(flag + " needs a number, got '" + v + "'");
    if (x < min || x >= maxExclusive)
        throw Error(flag + " must be at least " + shortNumber(min) + " and below " +
                    shortNumber(maxExclusive) + ", got " + v);
    return x;
}

int fail(const std::string& message) {
    std::fprintf(stderr, "netloom: error: %s\n", message.c_str());
    return 1;
}

}  // namespace netloom::app
