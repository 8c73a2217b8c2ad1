// Weight initialisation schemes. Default matches PyTorch's Linear/Conv default
// (kaiming_uniform_ with a = sqrt(5), which reduces to U(±1/sqrt(fan_in))); He is
// kaiming_normal_ for ReLU (fan_in); Xavier is xavier_uniform_ (gain 1).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

#include "engine/core/error.h"
#include "engine/layers/init.h"

namespace netloom::engine {

void initWeights(Tensor& w, int64_t fanIn, int64_t fanOut, InitScheme scheme, Rng& rng) {
    if (fanIn <= 0)
        throw Error("weight initialisation: fan-in must be positive, got " + std::to_string(fanIn));
    if (scheme == InitScheme::Xavier && fanOut <= 0)
        throw Error("weight initialisation: Xavier needs a positive fan-out, got " +
                    std::to_string(fanOut));
    float* data = w.data();
    const int64_t n = w.size();
    // One distribution object for the whole tensor (normal_distribution draws values in pairs).
    switch (scheme) {
        case InitScheme::Default: {
            const float bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(fanIn)));
            std::uniform_real_distribution<float> dist(-bound, bound);
            for (int64_t i = 0; i < n; ++i) data[i] = dist(rng.generator());
            break;
        }
        case InitScheme::He: {
            const float stddev = static_cast<float>(std::sqrt(2.0 / static_cast<double>(fanIn)));
            std::normal_distribution<float> dist(0.0f, stddev);
            for (int64_t i = 0; i < n; ++i) data[i] = dist(rng.generator());
            break;
        }
        case InitScheme::Xavier: {
            const float bound =
                static_cast<float>(std::sqrt(6.0 / static_cast<double>(fanIn + fanOut)));
            std::uniform_real_distribution<float> dist(-bound, bound);
            for (int64_t i = 0; i < n; ++i) data[i] = dist(rng.generator());
            break;
        }
    }
}

InitScheme parseInitScheme(const std::string& name) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "default") return InitScheme::Default;
    if (lower == "he") return InitScheme::He;
    if (lower == "xavier") return InitScheme::Xavier;
    throw Error("unknown weight initialisation '" + name + "'; valid: default, he, xavier");
}

std::string initSchemeName(InitScheme scheme) {
    switch (scheme) {
        case InitScheme::He:
            return "he";
        case InitScheme::Xavier:
            return "xavier";
        case InitScheme::Default:
            break;
    }
    return "default";
}

}  // namespace netloom::engine
