#pragma once
// The sequence-generation task's loss: softmax cross-entropy at every step of a token sequence,
// averaged over the steps that hold a token. Steps whose target is the padding token (after a
// line's end) count for nothing and get a zero gradient, so short and long lines weigh by their
// characters. Perplexity = exp(mean loss per token).
#include <cstdint>

#include "engine/core/tensor.h"

namespace netloom::engine {

struct TokenLoss {
    double sum = 0;      // summed −log p(target) over the counted steps
    int64_t tokens = 0;  // counted (non-padding) steps
    double mean() const { return tokens > 0 ? sum / static_cast<double>(tokens) : 0.0; }
};

// logits {N, T, V} (any dims with N·T·V values), targets {N, T} token ids as floats. With grad,
// writes d(mean loss)/d(logits) (sized like logits). Throws Error naming the sample and step
// of a target outside [0, V) or when the sizes do not match.
TokenLoss stepCrossEntropy(const Tensor& logits, const Tensor& targets, int64_t vocabulary,
                           int32_t padToken, Tensor* grad);

}  // namespace netloom::engine
