#pragma once
// What a training batch's loss compares the network's output with: the samples' class labels,
// their regression targets, the input itself (reconstruction), or nothing the dataset holds
// (adversarial training makes its own targets), or the next token at every step of a token
// sequence (sequence generation: outputs {T, vocabulary}, targets {T} ids, padding ignored).
namespace netloom::engine {

enum class TargetKind { ClassLabels, Regression, Reconstruction, None, NextToken };

}  // namespace netloom::engine
