#include "engine/tasks/task.h"

namespace netloom::engine {

// A one-network task trains for its per-sample target; the check is the supervised recipe's own.
std::vector<FitProblem> TaskDef::fitProblems(const std::vector<const Graph*>& networks,
                                             const TrainingConfig& config,
                                             const DataFacts& data) const {
    std::vector<FitProblem> problems;
    if (networks.empty() || !networks.front()) return problems;
    const Graph& graph = *networks.front();
    for (Problem& p : supervisedFitProblems(graph, analyzeGraph(graph), config, target(), data))
        problems.push_back({0, std::move(p)});
    return problems;
}

}  // namespace netloom::engine
