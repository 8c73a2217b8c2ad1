#pragma once
// What a training batch's loss compares the network's output with: the samples' class labels,
// their regression targets, the input itself (reconstruction), or nothing the dataset holds
// (adversarial training makes its own targets).
namespace netloom::engine {

enum class TargetKind { ClassLabels, Regression, Reconstruction, None };

}  // namespace netloom::engine
