#include "engine/data/unigram_baseline.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/data/text_reader.h"

namespace netloom::engine {

double unigramPerplexity(const Dataset& train, const Dataset& eval) {
    const int64_t vocab = train.vocabularySize;
    if (vocab <= kSpecialTokens || eval.vocabularySize != vocab || train.targetSize <= 0)
        throw Error("the unigram baseline needs two next-token sets with the same vocabulary");
    std::vector<double> counts(static_cast<size_t>(vocab), 1.0);  // add-one smoothing
    counts[kPadToken] = counts[kStartToken] = 0.0;                // never targets
    double total = static_cast<double>(vocab - 2);
    for (float t : train.targets) {
        const auto id = static_cast<int32_t>(t);
        if (id == kPadToken || id < 0 || id >= vocab) continue;
        counts[static_cast<size_t>(id)] += 1.0;
        total += 1.0;
    }
    double nll = 0;
    int64_t n = 0;
    for (float t : eval.targets) {
        const auto id = static_cast<int32_t>(t);
        if (id == kPadToken || id < 0 || id >= vocab) continue;
        nll -= std::log(counts[static_cast<size_t>(id)] / total);
        ++n;
    }
    if (n == 0) throw Error("the unigram baseline needs a set with at least one target token");
    return std::exp(nll / static_cast<double>(n));
}

}  // namespace netloom::engine
