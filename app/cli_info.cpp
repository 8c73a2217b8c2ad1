// `netloom info FILE`: per-layer summary of a project's network.
#include <cstdio>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/graph/analysis.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"

namespace netloom::app {

using namespace netloom::engine;

static std::string withCommas(int64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3) s.insert(i, ",");
    return s;
}

int runInfo(const std::vector<std::string>& args) {
    if (args.size() != 1) return fail("usage: netloom info FILE");
    try {
        Project project = loadProject(args[0]);
        for (const Network& net : project.networks) {
            GraphAnalysis a = analyzeGraph(net.graph);
            std::printf("%s — network '%s', %zu layers\n", args[0].c_str(), net.role.c_str(),
                        net.graph.nodes().size());
            std::printf("%-16s %-14s %-14s %12s %14s\n", "layer", "type", "output", "parameters",
                        "FLOPs/sample");
            auto row = [&](const Node& n) {
                const NodeAnalysis& na = a.nodes.at(n.id);
                std::printf("%-16s %-14s %-14s %12s %14s\n", n.name.c_str(), n.type.c_str(),
                            na.ok ? na.output.toAsciiString().c_str() : "?",
                            withCommas(na.parameters).c_str(), withCommas(na.flops).c_str());
            };
            if (a.order.empty())
                for (const Node& n : net.graph.nodes()) row(n);
            for (const std::string& id : a.order) row(net.graph.node(id));
            std::printf("%-46s %12s %14s\n", "total", withCommas(a.totalParameters).c_str(),
                        withCommas(a.totalFlops).c_str());
            std::printf("trained weights: %s\n", net.weights.empty() ? "no" : "yes");
            for (const Problem& p : a.problems) std::printf("problem: %s\n", p.message.c_str());
        }
        const TrainingConfig& t = project.training;
        std::printf("training: task %s, loss %s, optimizer %s lr %g, batch %lld, epochs %lld\n",
                    t.task.c_str(), t.loss.c_str(), t.optimizer.type.c_str(), t.optimizer.lr,
                    static_cast<long long>(t.batchSize), static_cast<long long>(t.epochs));
        std::printf("runs in history: %zu\n", project.history.size());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
