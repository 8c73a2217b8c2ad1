#pragma once
// The range a spin box offers for a setting of the schema (engine/settings): an open end
// excludes its bound by the smallest step a FloatSpinBox shows, an unbounded end becomes a
// huge number. The settings widget and the training panel's mid-run boxes both use it, so a
// range is still written once, in the schema.
#include <cmath>
#include <utility>

#include "engine/optim/setting_spec.h"

namespace netloom::ui {

inline std::pair<double, double> spinRange(const engine::SettingSpec& s) {
    constexpr double kOpenEnd = 1e-12;  // FloatSpinBox keeps 12 decimals
    constexpr double kUnbounded = 1e300;
    const double lo = std::isfinite(s.min) ? (s.minOpen ? s.min + kOpenEnd : s.min) : -kUnbounded;
    const double hi = std::isfinite(s.max) ? (s.maxOpen ? s.max - kOpenEnd : s.max) : kUnbounded;
    return {lo, hi};
}

}  // namespace netloom::ui
