#pragma once
// The baseline a character model must beat: a unigram model that predicts every next token with
// its frequency among the training targets, ignoring the context. Its perplexity on a set is
// exp(mean −log p(target)) over the non-padding targets, with add-one smoothing over the tokens
// that can be a target (all but padding and start-of-line), so an unseen character costs a
// finite amount.
#include "engine/data/dataset.h"

namespace netloom::engine {

// Both sets are next-token sets (text_reader.h): targets {T} ids per sample. Throws Error when
// they are not, or when `eval` has no target token.
double unigramPerplexity(const Dataset& train, const Dataset& eval);

}  // namespace netloom::engine
