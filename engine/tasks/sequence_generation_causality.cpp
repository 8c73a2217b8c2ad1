#include "engine/tasks/sequence_generation_causality.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/text_reader.h"

namespace netloom::engine {

std::optional<LookAhead> findLookAhead(InferenceSession& session, int64_t vocabulary, uint64_t seed,
                                       int64_t lines, double tolerance) {
    const int64_t steps = session.inputShape().elements();
    const int64_t outputs = session.outputShape().elements();
    if (steps < 2 || vocabulary <= kSpecialTokens || outputs % steps != 0) return std::nullopt;
    const int64_t width = outputs / steps;  // logits per step
    // Rows: for each base line b, the line itself, then one copy per cut t with the tokens
    // after t redrawn (each redrawn token differs from the original, so every later step moves).
    const int64_t cuts = steps - 1;
    const int64_t perLine = 1 + cuts;
    Tensor x({lines * perLine, steps});
    Rng rng(seed);
    auto draw = [&] {
        return kSpecialTokens + static_cast<int64_t>(rng.next() % static_cast<uint64_t>(
                                                                      vocabulary - kSpecialTokens));
    };
    for (int64_t b = 0; b < lines; ++b) {
        float* base = x.data() + b * perLine * steps;
        base[0] = static_cast<float>(kStartToken);
        for (int64_t s = 1; s < steps; ++s) base[s] = static_cast<float>(draw());
        for (int64_t t = 0; t < cuts; ++t) {
            float* row = base + (1 + t) * steps;
            std::copy(base, base + steps, row);
            for (int64_t s = t + 1; s < steps; ++s) {
                int64_t other = draw();
                if (other == static_cast<int64_t>(base[s]))
                    other = kSpecialTokens +
                            (other - kSpecialTokens + 1) % (vocabulary - kSpecialTokens);
                row[s] = static_cast<float>(other);
            }
        }
    }
    const Tensor out = session.forward(x);
    double scale = 0;
    for (int64_t i = 0; i < out.size(); ++i) scale = std::max(scale, std::fabs(double(out[i])));
    const double limit = tolerance * std::max(1.0, scale);
    for (int64_t b = 0; b < lines; ++b) {
        const float* base = out.data() + b * perLine * outputs;
        for (int64_t t = 0; t < cuts; ++t) {
            const float* row = base + (1 + t) * outputs;
            for (int64_t s = 0; s <= t; ++s) {
                double worst = 0;
                for (int64_t j = 0; j < width; ++j)
                    worst = std::max(
                        worst, std::fabs(double(row[s * width + j]) - double(base[s * width + j])));
                if (worst > limit) return LookAhead{s, t + 1, worst};
            }
        }
    }
    return std::nullopt;
}

std::string lookAheadProblem(const LookAhead& l) {
    return "the network looks ahead: its prediction at step " + std::to_string(l.step) +
           " changes when the tokens from step " + std::to_string(l.changedFrom) +
           " on change, so training would show it the very character it must predict. Let "
           "each step read only the steps before it (turn on 'Causal mask' in every "
           "Multi-Head Attention; no Flatten or mean over the whole line)";
}

}  // namespace netloom::engine
