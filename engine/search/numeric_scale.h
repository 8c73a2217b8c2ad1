#pragma once
// How strategies see a numeric dimension: an interval in "internal" coordinates where sampling
// is uniform (log(x) on a log range). An int range widens by half a step at each end so that
// every whole number owns an interval of the same internal width (its "bin") on a linear scale,
// as Optuna does; rounding maps back.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/search/search_space.h"

namespace netloom::engine {

struct NumericScale {
    const SearchDimension* d;
    bool isInt() const { return d->kind == SearchDimension::Kind::Int; }
    double lowEdge() const { return d->low - (isInt() ? 0.5 : 0.0); }
    double highEdge() const { return d->high + (isInt() ? 0.5 : 0.0); }
    double toInternal(double x) const { return d->log ? std::log(x) : x; }
    double fromInternal(double u) const { return d->log ? std::exp(u) : u; }
    double low() const { return toInternal(lowEdge()); }
    double high() const { return toInternal(highEdge()); }
    // The value at internal coordinate u, rounded and clamped for ints.
    ParamValue valueAt(double u) const {
        const double x = std::clamp(fromInternal(u), d->low, d->high);
        if (isInt()) return static_cast<int64_t>(std::llround(x));
        return x;
    }
    // The value as a number (int or float dimension).
    static double number(const ParamValue& v) {
        if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
        if (const double* x = std::get_if<double>(&v)) return *x;
        return std::nan("");
    }
};

}  // namespace netloom::engine
