#include "ui/canvas/auto_layout.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "ui/canvas/node_geometry.h"

namespace netloom::ui {

namespace {

// Longest-path depth of each node; nodes on a cycle go one column after everything else.
std::map<std::string, int> depths(const engine::Graph& g) {
    std::map<std::string, int> indegree, depth;
    for (const auto& n : g.nodes()) indegree[n.id] = 0, depth[n.id] = 0;
    for (const auto& e : g.edges())
        if (indegree.count(e.to) && indegree.count(e.from)) ++indegree[e.to];
    std::vector<std::string> ready;
    for (const auto& n : g.nodes())
        if (indegree[n.id] == 0) ready.push_back(n.id);
    for (size_t i = 0; i < ready.size(); ++i)
        for (const auto& e : g.edges())
            if (e.from == ready[i] && indegree.count(e.to)) {
                depth[e.to] = std::max(depth[e.to], depth[e.from] + 1);
                if (--indegree[e.to] == 0) ready.push_back(e.to);
            }
    int maxDepth = 0;
    for (const auto& [id, d] : depth) maxDepth = std::max(maxDepth, d);
    for (const auto& [id, in] : indegree)
        if (in > 0) depth[id] = maxDepth + 1;
    return depth;
}

}  // namespace

std::map<std::string, QPointF> computeAutoLayout(const engine::Graph& g, int maxColumns) {
    std::map<std::string, QPointF> result;
    if (g.nodes().empty()) return result;
    maxColumns = std::max(1, maxColumns);
    const std::map<std::string, int> depth = depths(g);
    int columns = 0;
    for (const auto& [id, d] : depth) columns = std::max(columns, d + 1);

    std::vector<std::vector<std::string>> layers(static_cast<size_t>(columns));
    for (const auto& n : g.nodes()) layers[static_cast<size_t>(depth.at(n.id))].push_back(n.id);

    // Barycentre ordering: sort each column by the mean row of its predecessors.
    std::map<std::string, double> row;
    for (auto& layer : layers) {
        for (const auto& id : layer) {
            double sum = 0;
            int count = 0;
            for (const auto& e : g.inputsOf(id))
                if (row.count(e.from)) sum += row[e.from] + e.toPort * 0.01, ++count;
            row[id] = count ? sum / count : 1e9;  // unconnected nodes go last
        }
        std::stable_sort(layer.begin(), layer.end(),
                         [&](const auto& a, const auto& b) { return row[a] < row[b]; });
        for (size_t i = 0; i < layer.size(); ++i) row[layer[i]] = static_cast<double>(i);
    }

    // Rows: each node wants the mean height of its inputs (so chains run straight); within a
    // column the order above is kept and cards are pushed apart to a minimum spacing.
    const double colStep = geom::kCardWidth + geom::kColumnGap;
    const double rowStep = geom::cardHeight(2) + geom::kRowGap;
    std::map<std::string, double> y;
    for (const auto& layer : layers) {
        std::vector<double> want;
        double next = 0;
        for (const auto& id : layer) {
            double sum = 0;
            int count = 0;
            for (const auto& e : g.inputsOf(id))
                if (y.count(e.from)) sum += y[e.from], ++count;
            want.push_back(count ? sum / count : next);
            next = want.back() + rowStep;
        }
        // Centre groups that collide around their wished position.
        std::vector<double> placed(want.size());
        for (size_t i = 0; i < want.size(); ++i)
            placed[i] = i == 0 ? want[i] : std::max(want[i], placed[i - 1] + rowStep);
        if (!placed.empty()) {
            double wished = 0, got = 0;
            for (size_t i = 0; i < want.size(); ++i) wished += want[i], got += placed[i];
            const double shift = (got - wished) / static_cast<double>(want.size());
            for (size_t i = 0; i < layer.size(); ++i) y[layer[i]] = placed[i] - shift;
        }
    }

    // Deep networks wrap into bands of maxColumns columns, one band under the other.
    double bandTop = 0;
    for (int band = 0; band * maxColumns < columns; ++band) {
        const int first = band * maxColumns;
        const int last = std::min(columns, first + maxColumns);
        double lo = 1e300, hi = -1e300;
        for (int c = first; c < last; ++c)
            for (const auto& id : layers[static_cast<size_t>(c)])
                lo = std::min(lo, y[id]), hi = std::max(hi, y[id]);
        for (int c = first; c < last; ++c)
            for (const auto& id : layers[static_cast<size_t>(c)])
                result[id] = QPointF((c - first) * colStep, std::round(bandTop + y[id] - lo));
        bandTop += (hi - lo) + rowStep * 1.5;
    }
    return result;
}

}  // namespace netloom::ui
