#pragma once
// Does a next-token network look ahead? Its output at step t must depend on input steps 0..t
// only: a network that also reads steps after t (a MultiHeadAttention without its causal mask,
// a Flatten → Dense over the whole line) is shown the very token it is asked to predict while
// training, learns to copy it, reports a near-zero loss and writes nonsense when sampling, where
// the later steps are padding. Which layers mix steps is not a layer trait, so this is measured:
// the network's outputs are compared on lines that agree up to step t and differ after it.
// Works for any layer kind (recurrent, attention, convolutions), with no list of layer types.
#include <cstdint>
#include <optional>
#include <string>

#include "engine/infer/inference_session.h"

namespace netloom::engine {

struct LookAhead {
    int64_t step = 0;         // the output step that changed ...
    int64_t changedFrom = 0;  // ... when the input steps from this one on (all > step) changed
    double difference = 0;    // largest |Δ logit| at that step
};

// Probes every cut t = 0 .. T−2 on `lines` random lines of ids in [first, vocabulary): line b
// and its copy with fresh tokens after t, one eval-mode forward for all of them. Returns the
// first output step ≤ t that moved by more than `tolerance` (relative to the logits' scale), or
// nothing for a causal network. The network reads {T} ids and gives {T, V} logits.
std::optional<LookAhead> findLookAhead(InferenceSession& session, int64_t vocabulary, uint64_t seed,
                                       int64_t lines = 2, double tolerance = 1e-5);

// The sentence the task refuses a look-ahead network with.
std::string lookAheadProblem(const LookAhead& l);

}  // namespace netloom::engine
