#pragma once
// Whether cards on the canvas lie on one another (the suites of layers imported into a graph).
#include <QRectF>
#include <QString>
#include <string>
#include <utility>
#include <vector>

#include "engine/graph/graph.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_item.h"

namespace netloom::test {

// "" when no two visible cards of the graph on `scene` overlap, else the first pair that does
// (with their scene rectangles), for a QVERIFY2 message.
inline QString overlappingCards(ui::GraphScene* scene, const engine::Graph& graph) {
    std::vector<std::pair<std::string, QRectF>> cards;
    for (const engine::Node& n : graph.nodes())
        if (ui::NodeItem* item = scene->nodeItem(n.id); item && item->isVisible())
            cards.emplace_back(n.name, item->sceneBoundingRect());
    auto text = [](const QRectF& r) {
        return QString("(%1,%2 %3×%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
    };
    for (size_t i = 0; i < cards.size(); ++i)
        for (size_t j = i + 1; j < cards.size(); ++j)
            if (cards[i].second.intersects(cards[j].second))
                return QString("'%1' %2 overlaps '%3' %4")
                    .arg(QString::fromStdString(cards[i].first), text(cards[i].second),
                         QString::fromStdString(cards[j].first), text(cards[j].second));
    return {};
}

}  // namespace netloom::test
