#pragma once
// Writing text with a next-token model (the sequence-generation task): each line starts with the
// start-of-line token and the prompt's characters, then the model's next-token distribution at
// the last step is sampled, the token appended, and so on until end-of-line or the model's
// longest line. Lines are sampled together as one batch, one forward pass per character.
//   temperature  divides the logits before the softmax: below 1 sharper (safer, more common
//                characters), above 1 flatter (more surprising); 0 takes the likeliest token.
// Padding and start-of-line are never drawn. Runs through an InferenceSession on the calling
// thread; the same seed, weights and options give the same lines.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/rng.h"
#include "engine/infer/inference_session.h"

namespace netloom::engine {

struct SamplingOptions {
    int64_t count = 20;        // lines, 1..10000
    double temperature = 0.8;  // 0 (greedy) .. 10
    std::string prompt;        // characters every line starts with (they must be in the vocabulary)
    uint64_t seed = 1;
};

// The sampled lines, each beginning with the prompt. vocabulary: the text dataset's (token id →
// text, special tokens first: text_reader.h). Throws Error naming what does not fit: options out
// of range, a prompt character outside the vocabulary, a prompt as long as the longest line, or
// a network whose input is not T token ids or whose output is not T × vocabulary logits.
std::vector<std::string> sampleLines(InferenceSession& session,
                                     const std::vector<std::string>& vocabulary,
                                     const SamplingOptions& options);

// Draws a token from one step's logits at a temperature (see above), never `excluded` ids.
int32_t sampleToken(const float* logits, int64_t vocabulary, double temperature, Rng& rng,
                    const std::vector<int32_t>& excluded);

}  // namespace netloom::engine
