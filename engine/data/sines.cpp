#include "engine/data/sines.h"

#include <cmath>
#include <numbers>

#include "engine/core/error.h"
#include "engine/core/rng.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kSinesSalt = 0x53494e4553ull;  // "SINES"

void checkRange(const char* what, double v, double lo, double hi) {
    if (!std::isfinite(v) || v < lo || v > hi)
        throw Error(std::string("sines dataset: ") + what + " must be between " +
                    std::to_string(static_cast<long long>(lo)) + " and " +
                    std::to_string(static_cast<long long>(hi)) + ", got " + std::to_string(v));
}

// Draws one series' sines and writes `length` noisy values.
void drawSeries(Rng& rng, float sigma, int64_t length, float* out) {
    constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;
    float a[2], w[2], p[2];
    for (int k = 0; k < 2; ++k) {
        a[k] = rng.uniform(0.2f, 0.8f);
        w[k] = rng.uniform(0.1f, 0.6f);
        p[k] = rng.uniform(0.0f, kTwoPi);
    }
    for (int64_t t = 0; t < length; ++t) {
        const float ft = static_cast<float>(t);
        float v = a[0] * std::sin(w[0] * ft + p[0]) + a[1] * std::sin(w[1] * ft + p[1]);
        if (sigma > 0) v += rng.normal(0.0f, sigma);
        out[t] = v;
    }
}

}  // namespace

Dataset makeSines(const SinesOptions& o, uint64_t seed) {
    checkRange("samples", static_cast<double>(o.samples), 1, 10'000'000);
    checkRange("window", static_cast<double>(o.window), 2, 4096);
    checkRange("horizon", static_cast<double>(o.horizon), 1, 1024);
    checkRange("noise", o.noise, 0, 100);
    Rng rng = Rng(seed).derive(kSinesSalt);
    const float sigma = static_cast<float>(o.noise);
    Dataset d;
    d.name = "sines";
    d.sampleShape = Shape::sequenceOf({o.window, 1});
    d.count = o.samples;
    d.targetSize = o.horizon;
    d.features.resize(static_cast<size_t>(o.samples * o.window));
    d.targets.resize(static_cast<size_t>(o.samples * o.horizon));
    std::vector<float> series(static_cast<size_t>(o.window + o.horizon));
    for (int64_t i = 0; i < o.samples; ++i) {
        drawSeries(rng, sigma, o.window + o.horizon, series.data());
        std::copy(series.begin(), series.begin() + o.window, d.features.begin() + i * o.window);
        std::copy(series.begin() + o.window, series.end(), d.targets.begin() + i * o.horizon);
    }
    return d;
}

std::vector<float> sinesSeries(int64_t length, double noise, uint64_t seed) {
    checkRange("series length", static_cast<double>(length), 1, 1'000'000);
    checkRange("noise", noise, 0, 100);
    Rng rng = Rng(seed).derive(kSinesSalt);
    std::vector<float> out(static_cast<size_t>(length));
    drawSeries(rng, static_cast<float>(noise), length, out.data());
    return out;
}

}  // namespace netloom::engine

namespace netloom::engine {

bool forecastsSeries(const DatasetConfig& config) {
    return config.kind == "sines";
}

}  // namespace netloom::engine
