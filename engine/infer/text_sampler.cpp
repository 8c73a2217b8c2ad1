#include "engine/infer/text_sampler.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/core/rng.h"
#include "engine/data/text_reader.h"

namespace netloom::engine {

int32_t sampleToken(const float* logits, int64_t vocabulary, double temperature, Rng& rng,
                    const std::vector<int32_t>& excluded) {
    auto allowed = [&](int64_t j) {
        return std::find(excluded.begin(), excluded.end(), j) == excluded.end();
    };
    int64_t best = -1;
    for (int64_t j = 0; j < vocabulary; ++j)
        if (allowed(j) && (best < 0 || logits[j] > logits[best])) best = j;
    if (best < 0) throw Error("sampling: every token is excluded");
    if (temperature <= 0) return static_cast<int32_t>(best);
    std::vector<double> p(static_cast<size_t>(vocabulary), 0.0);
    double sum = 0;
    for (int64_t j = 0; j < vocabulary; ++j) {
        if (!allowed(j)) continue;
        p[static_cast<size_t>(j)] =
            std::exp(static_cast<double>(logits[j] - logits[best]) / temperature);
        sum += p[static_cast<size_t>(j)];
    }
    double u = static_cast<double>(rng.uniform(0.0f, 1.0f)) * sum;
    for (int64_t j = 0; j < vocabulary; ++j) {
        u -= p[static_cast<size_t>(j)];
        if (u < 0 && p[static_cast<size_t>(j)] > 0) return static_cast<int32_t>(j);
    }
    return static_cast<int32_t>(best);  // rounding left u ≥ 0: the likeliest token
}

std::vector<std::string> sampleLines(InferenceSession& session,
                                     const std::vector<std::string>& vocabulary,
                                     const SamplingOptions& o) {
    if (o.count < 1 || o.count > 10000)
        throw Error("sampling: the number of lines must be between 1 and 10000, got " +
                    std::to_string(o.count));
    if (!std::isfinite(o.temperature) || o.temperature < 0 || o.temperature > 10)
        throw Error("sampling: the temperature must be between 0 and 10, got " +
                    std::to_string(o.temperature));
    const auto vocab = static_cast<int64_t>(vocabulary.size());
    if (vocab <= kSpecialTokens) throw Error("sampling: the vocabulary is empty");
    const Shape& in = session.inputShape();
    const Shape& out = session.outputShape();
    const int64_t steps = in.elements();
    if (out.elements() != steps * vocab || out[out.rank() - 1] != vocab)
        throw Error("sampling: the network reads " + in.toString() + " and gives " +
                    out.toString() + ", but writing text needs " + std::to_string(steps) +
                    " steps × " + std::to_string(vocab) +
                    " logits (one per vocabulary token) at every step");
    const std::vector<int32_t> prompt = encodeText(o.prompt, vocabulary);
    const auto start = static_cast<int64_t>(prompt.size());  // the last given input step
    if (start >= steps - 1)
        throw Error("sampling: the prompt has " + std::to_string(prompt.size()) +
                    " characters, but the model writes lines of at most " +
                    std::to_string(steps - 1) + ": shorten it");

    const int64_t n = o.count;
    Tensor x({n, steps});
    x.fill(static_cast<float>(kPadToken));
    for (int64_t i = 0; i < n; ++i) {
        x[i * steps] = static_cast<float>(kStartToken);
        for (int64_t k = 0; k < start; ++k)
            x[i * steps + k + 1] = static_cast<float>(prompt[static_cast<size_t>(k)]);
    }
    std::vector<std::string> lines(static_cast<size_t>(n), o.prompt);
    std::vector<char> done(static_cast<size_t>(n), 0);
    Rng rng(o.seed);
    const std::vector<int32_t> excluded = {kPadToken, kStartToken};
    // The output at step p is the distribution of the token at input step p + 1; a line that
    // reaches the last input step is as long as the model allows and ends there.
    for (int64_t p = start; p < steps - 1; ++p) {
        const Tensor logits = session.forward(x);
        bool any = false;
        for (int64_t i = 0; i < n; ++i) {
            if (done[static_cast<size_t>(i)]) continue;
            const float* row = logits.data() + (i * steps + p) * vocab;
            const int32_t t = sampleToken(row, vocab, o.temperature, rng, excluded);
            if (t == kEndToken) {
                done[static_cast<size_t>(i)] = 1;
                continue;
            }
            lines[static_cast<size_t>(i)] += vocabulary[static_cast<size_t>(t)];
            x[i * steps + p + 1] = static_cast<float>(t);
            any = true;
        }
        if (!any) break;
    }
    return lines;
}

}  // namespace netloom::engine
