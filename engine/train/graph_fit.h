#pragma once
// Whether a task's networks fit the data and the task: input shape against the dataset's samples,
// output size against the classes / targets / the input (reconstruction), the GAN pair against
// each other and the images. The one check behind both the recipes' refusal in prepare() and the
// editor's live problem list (through TaskDef::fitProblems), so the two never disagree. Each
// problem names its node and, when one parameter edit resolves it, carries that edit.
#include <cstdint>
#include <vector>

#include "engine/core/shape.h"
#include "engine/data/dataset.h"
#include "engine/data/target_kind.h"
#include "engine/graph/analysis.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

// What the check needs to know of a training set.
struct DataFacts {
    Shape sampleShape;
    int numClasses = 0;          // 0: no class labels
    int64_t targetSize = 0;      // 0: no regression targets
    int64_t vocabularySize = 0;  // 0: not a token dataset
    static DataFacts of(const Dataset& train);
    bool operator==(const DataFacts&) const = default;
};

// A problem of one of a project's networks (index in the task's network roles).
struct FitProblem {
    int network = 0;
    Problem problem;
};

// One network trained for a per-sample target. Empty when the graph itself has problems (the
// analysis lists those).
std::vector<Problem> supervisedFitProblems(const Graph& graph, const GraphAnalysis& analysis,
                                           const TrainingConfig& config, TargetKind target,
                                           const DataFacts& data);

// The GAN pair, generator = network 0, discriminator = network 1: their sources, the generator's
// output against the discriminator's input, the discriminator's single logit and, with data,
// the discriminator's input against the images. A network whose own analysis fails gives one
// problem with its first error ("the generator: ...").
std::vector<FitProblem> adversarialFitProblems(const Graph& generator, const Graph& discriminator,
                                               const DataFacts* data);

// Throw Error with the first problem's message (the analysis's own problems first).
void throwFirstProblem(const std::vector<Problem>& problems);
void throwFirstProblem(const std::vector<FitProblem>& problems);

// The text an Input's "shape" parameter takes for this shape: "1,28,28".
std::string shapeParamText(const Shape& shape);

}  // namespace netloom::engine
