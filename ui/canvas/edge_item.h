#pragma once
// A connection on the canvas: a cubic curve from an output port to an input port, labelled with
// the tensor shape that flows along it. It holds the engine edge (ids and ports) only.
#include <QGraphicsItem>
#include <QPainterPath>
#include <vector>

#include "engine/graph/graph.h"

namespace netloom::ui {

class GraphScene;

class EdgeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };

    explicit EdgeItem(const engine::Edge& edge);
    int type() const override { return Type; }
    const engine::Edge& edge() const { return m_edge; }

    // Re-reads the end points from the node items and the label from the analysis.
    void refresh();
    void setHighlighted(bool on);  // a palette layer hovers over it (insert here)
    QPointF midPoint() const { return m_mid; }
    const QPainterPath& path() const { return m_path; }  // scene coordinates, port to port
    // The shape drawn on the curve ("32×28×28"); empty while the source's output is unknown.
    const QString& label() const { return m_label; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // The curve between two port positions (also used for the connection being dragged).
    static QPainterPath curve(QPointF from, QPointF to);
    // curve(), unless it would pass behind one of `cards` (an edge that skips a layer, drawn
    // straight behind the card it skips): then a path that bends above or below them, whichever
    // is the shorter way round.
    static QPainterPath routeAround(QPointF from, QPointF to, const std::vector<QRectF>& cards);
    // Whether the path runs through the rectangle (sampled along its length).
    static bool passesThrough(const QPainterPath& path, const QRectF& rect);

private:
    GraphScene* graphScene() const;
    QRectF labelRect() const;

    engine::Edge m_edge;
    QPainterPath m_path;
    QPointF m_mid;
    QString m_label;
    bool m_highlighted = false;
};

}  // namespace netloom::ui
