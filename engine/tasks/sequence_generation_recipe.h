#pragma once
// The sequence-generation task's recipe: a network reads a line's tokens (start-of-line first)
// and gives, at every step, logits over the vocabulary for the next token. A step is batch →
// forward → per-step softmax cross-entropy with padding masked (sequence_generation_loss.h) →
// backward → optimizer step. Figures per character: "loss" (mean −log p, nats) and "perplexity"
// (its exp); each epoch adds "val_loss", "val_perplexity" and the character-unigram baseline's
// perplexity on the same validation set ("unigram_perplexity"), which a model that learned
// anything about order beats. The test set's figures end the run.
#include <memory>

#include "engine/infer/inference_session.h"
#include "engine/tasks/recipe_inputs.h"

namespace netloom::engine {

std::unique_ptr<TrainingRecipe> makeSequenceGenerationRecipe(RecipeInputs inputs);

// Mean per-token loss of a model's weights on a next-token set, through an inference session
// on the calling thread (what the recipe's validation computes).
struct SequenceEval {
    double loss = 0;  // nats per token
    double perplexity = 0;
    int64_t tokens = 0;
};
SequenceEval evaluateSequences(InferenceSession& session, const Dataset& data);

}  // namespace netloom::engine
