#include "engine/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "engine/core/error.h"
#include "engine/core/rng.h"

namespace netloom::engine {

namespace {

constexpr uint64_t kSyntheticSalt = 0x53594e5448ull;  // "SYNTH"
constexpr int64_t kMaxSamples = 10'000'000;

struct Kind {
    const char* name;
    std::vector<std::string> classNames;
};

const std::vector<Kind>& kinds() {
    static const std::vector<Kind> k = {
        {"spiral", {"arm 1", "arm 2", "arm 3"}},
        {"circles", {"outer ring", "inner ring"}},
        {"xor", {"same sign", "opposite sign"}},
        {"gaussians", {"blob (1,1)", "blob (-1,1)", "blob (-1,-1)", "blob (1,-1)"}},
    };
    return k;
}

}  // namespace

const std::vector<std::string>& syntheticKinds() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const Kind& k : kinds()) n.push_back(k.name);
        return n;
    }();
    return names;
}

Dataset makeSynthetic(const std::string& kind, int64_t samples, double noise, uint64_t seed) {
    auto it =
        std::find_if(kinds().begin(), kinds().end(), [&](const Kind& k) { return kind == k.name; });
    if (it == kinds().end()) {
        throw Error("unknown synthetic dataset '" + kind +
                    "': choose spiral, circles, xor or gaussians");
    }
    const int classes = static_cast<int>(it->classNames.size());
    if (samples < classes || samples > kMaxSamples) {
        throw Error("synthetic dataset '" + kind + "': samples must be between " +
                    std::to_string(classes) + " and " + std::to_string(kMaxSamples) + ", got " +
                    std::to_string(samples));
    }
    if (!std::isfinite(noise) || noise < 0 || noise > 100) {
        throw Error("synthetic dataset '" + kind + "': noise must be between 0 and 100, got " +
                    std::to_string(noise));
    }

    Rng rng = Rng(seed).derive(kSyntheticSalt);
    const float sigma = static_cast<float>(noise);
    auto jitter = [&] { return sigma > 0 ? rng.normal(0.0f, sigma) : 0.0f; };
    constexpr float kPi = std::numbers::pi_v<float>;

    std::vector<float> xy(static_cast<size_t>(2 * samples));
    std::vector<int32_t> labels(static_cast<size_t>(samples));
    // Sample i belongs to class i % classes and is the j-th of its class: balanced classes.
    for (int64_t i = 0; i < samples; ++i) {
        const int c = static_cast<int>(i % classes);
        const int64_t j = i / classes;
        const int64_t perClass = samples / classes + (c < samples % classes ? 1 : 0);
        const float t =
            perClass > 1 ? static_cast<float>(j) / static_cast<float>(perClass - 1) : 0.0f;
        float x = 0, y = 0;
        if (kind == "spiral") {
            const float angle = 4.0f * (static_cast<float>(c) + t) + 2.0f * jitter();
            x = t * std::sin(angle);
            y = t * std::cos(angle);
        } else if (kind == "circles") {
            const float radius = c == 0 ? 1.0f : 0.5f;
            const float angle = rng.uniform(0.0f, 2.0f * kPi);
            x = radius * std::cos(angle) + jitter();
            y = radius * std::sin(angle) + jitter();
        } else if (kind == "xor") {
            // Class 0 in quadrants (+,+) and (-,-); class 1 in (+,-) and (-,+).
            const float sx = (j % 2 == 0) ? 1.0f : -1.0f;
            const float sy = c == 0 ? sx : -sx;
            x = sx * rng.uniform(0.0f, 1.0f) + jitter();
            y = sy * rng.uniform(0.0f, 1.0f) + jitter();
        } else {  // gaussians
            static constexpr float cx[4] = {1, -1, -1, 1}, cy[4] = {1, 1, -1, -1};
            x = cx[c] + rng.normal(0.0f, 0.25f) + jitter();
            y = cy[c] + rng.normal(0.0f, 0.25f) + jitter();
        }
        xy[static_cast<size_t>(2 * i)] = x;
        xy[static_cast<size_t>(2 * i + 1)] = y;
        labels[static_cast<size_t>(i)] = c;
    }

    // Shuffle so that any prefix (limits, splits) holds every class.
    std::vector<int64_t> order(static_cast<size_t>(samples));
    std::iota(order.begin(), order.end(), int64_t{0});
    std::shuffle(order.begin(), order.end(), rng.generator());

    Dataset d;
    d.name = kind;
    d.sampleShape = Shape{2};
    d.count = samples;
    d.features.resize(xy.size());
    d.labels.resize(labels.size());
    for (int64_t i = 0; i < samples; ++i) {
        const auto src = static_cast<size_t>(order[static_cast<size_t>(i)]);
        const auto dst = static_cast<size_t>(i);
        d.features[2 * dst] = xy[2 * src];
        d.features[2 * dst + 1] = xy[2 * src + 1];
        d.labels[dst] = labels[src];
    }
    d.numClasses = classes;
    d.classNames = it->classNames;
    return d;
}

}  // namespace netloom::engine
