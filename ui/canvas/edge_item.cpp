#include "ui/canvas/edge_item.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <optional>

#include "ui/canvas/graph_scene.h"
#include "ui/canvas/group_items.h"
#include "ui/canvas/node_item.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {
QFont labelFont() {
    QFont f = QApplication::font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    return f;
}
}  // namespace

EdgeItem::EdgeItem(const engine::Edge& edge) : m_edge(edge) {
    setFlags(ItemIsSelectable);
    setZValue(0);
}

GraphScene* EdgeItem::graphScene() const {
    return qobject_cast<GraphScene*>(scene());
}

QPainterPath EdgeItem::curve(QPointF a, QPointF b) {
    QPainterPath path(a);
    const double dx = b.x() - a.x();
    if (dx >= -20) {  // forwards: one S-curve with horizontal tangents
        const double reach = std::max(40.0, std::abs(dx) / 2);
        path.cubicTo(a + QPointF(reach, 0), b - QPointF(reach, 0), b);
        return path;
    }
    // Backwards (a wrapped band, or a hand-made layout): leave to the right, run back along a
    // corridor between the rows, enter from the left, instead of cutting across the cards.
    const double dy = b.y() - a.y();
    const double corridor = std::abs(dy) > 120 ? a.y() + dy / 2 : std::max(a.y(), b.y()) + 70;
    const double loop = 50;
    path.cubicTo(a + QPointF(loop, 0), QPointF(a.x() + loop, corridor), QPointF(a.x(), corridor));
    path.lineTo(b.x(), corridor);
    path.cubicTo(QPointF(b.x() - loop, corridor), b - QPointF(loop, 0), b);
    return path;
}

bool EdgeItem::passesThrough(const QPainterPath& path, const QRectF& rect) {
    const double length = path.length();
    const int samples = std::max(16, static_cast<int>(length / 8));
    for (int i = 0; i <= samples; ++i)
        if (rect.contains(path.pointAtPercent(static_cast<double>(i) / samples))) return true;
    return false;
}

namespace {

// Out of the source port to the right, along a horizontal corridor, into the target from the
// left; the bends stay within the gaps between columns.
QPainterPath detour(QPointF a, QPointF b, double corridor) {
    const double r = std::min(40.0, (b.x() - a.x()) / 4);
    QPainterPath path(a);
    path.cubicTo(a + QPointF(r, 0), QPointF(a.x() + r, corridor), QPointF(a.x() + 2 * r, corridor));
    path.lineTo(b.x() - 2 * r, corridor);
    path.cubicTo(QPointF(b.x() - r, corridor), QPointF(b.x() - r, b.y()), b);
    return path;
}

std::vector<QRectF> hitCards(const QPainterPath& path, const std::vector<QRectF>& cards) {
    std::vector<QRectF> hits;
    for (const QRectF& c : cards)
        if (EdgeItem::passesThrough(path, c)) hits.push_back(c);
    return hits;
}

}  // namespace

QPainterPath EdgeItem::routeAround(QPointF a, QPointF b, const std::vector<QRectF>& cards) {
    QPainterPath straight = curve(a, b);
    if (b.x() - a.x() < 120) return straight;  // backwards or adjacent: nothing in between
    std::vector<QRectF> hits = hitCards(straight, cards);
    if (hits.empty()) return straight;
    constexpr double kGap = 22;  // between the corridor and the cards it passes
    std::optional<QPainterPath> best;
    double bestCost = 0;
    for (const bool above : {true, false}) {
        double corridor = above ? 1e300 : -1e300;
        for (const QRectF& h : hits)
            corridor =
                above ? std::min(corridor, h.top() - kGap) : std::max(corridor, h.bottom() + kGap);
        QPainterPath path;
        bool clear = false;
        for (int round = 0; round < 12 && !clear; ++round) {  // push past cards met on the way
            path = detour(a, b, corridor);
            const std::vector<QRectF> more = hitCards(path, cards);
            clear = more.empty();
            for (const QRectF& h : more)
                corridor = above ? std::min(corridor, h.top() - kGap)
                                 : std::max(corridor, h.bottom() + kGap);
        }
        if (!clear) continue;
        const double cost = std::abs(corridor - a.y()) + std::abs(corridor - b.y());
        if (!best || cost < bestCost) best = path, bestCost = cost;
    }
    return best ? *best : straight;
}

void EdgeItem::refresh() {
    GraphScene* s = graphScene();
    if (!s) return;
    // An edge inside a collapsed group is not drawn; one crossing its boundary ends at the
    // group card's port (GraphScene::outputAnchor/inputAnchor).
    const bool hidden = s->edgeHiddenByGroup(m_edge);
    if (hidden && isSelected()) setSelected(false);
    setVisible(!hidden);
    const std::optional<QPointF> a = s->outputAnchor(m_edge.from, m_edge.fromPort);
    const std::optional<QPointF> b = s->inputAnchor(m_edge.to, m_edge.toPort);
    if (!a || !b) return;
    prepareGeometryChange();
    // The other cards, so that an edge skipping a layer goes around it instead of behind it.
    std::vector<QRectF> cards;
    NodeItem* from = s->nodeItem(m_edge.from);
    NodeItem* to = s->nodeItem(m_edge.to);
    for (QGraphicsItem* item : s->items()) {
        if (item->type() == NodeItem::Type && item != from && item != to && item->isVisible())
            cards.push_back(item->mapRectToScene(static_cast<NodeItem*>(item)->cardRect()));
        if (item->type() == GroupCardItem::Type) {
            const QRectF r = item->mapRectToScene(static_cast<GroupCardItem*>(item)->cardRect());
            if (!r.contains(*a + QPointF(-1, 0)) && !r.contains(*b + QPointF(1, 0)))
                cards.push_back(r);
        }
    }
    m_path = routeAround(*a, *b, cards);
    m_mid = m_path.pointAtPercent(0.5);
    const engine::NodeAnalysis* na = s->document()->nodeAnalysis(m_edge.from);
    // The shape of the port the edge leaves (a multi-output layer's ports differ).
    const size_t port = static_cast<size_t>(std::max(0, m_edge.fromPort));
    m_label = na && na->ok && port < na->outputs.size()
                  ? QString::fromStdString(na->outputs[port].toString())
                  : QString();
    setToolTip(m_label.isEmpty() ? QString()
                                 : QObject::tr("Tensor shape per sample: %1").arg(m_label));
    update();
}

void EdgeItem::setHighlighted(bool on) {
    if (m_highlighted == on) return;
    m_highlighted = on;
    update();
}

QRectF EdgeItem::labelRect() const {
    if (m_label.isEmpty()) return {};
    const QFontMetricsF fm(labelFont());
    const double w = fm.horizontalAdvance(m_label) + 10;
    const double h = fm.height() + 4;
    return {m_mid.x() - w / 2, m_mid.y() - h / 2, w, h};
}

QRectF EdgeItem::boundingRect() const {
    return m_path.boundingRect().adjusted(-8, -8, 8, 8).united(labelRect());
}

QPainterPath EdgeItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    QPainterPath s = stroker.createStroke(m_path);
    if (!m_label.isEmpty()) s.addRect(labelRect());
    return s;
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    const QPalette pal = widget ? widget->palette() : QApplication::palette();
    p->setRenderHint(QPainter::Antialiasing);
    const bool selected = option->state & QStyle::State_Selected;
    QColor color = pal.color(QPalette::Text);
    color.setAlphaF(0.55f);
    double width = 1.8;
    if (selected) color = pal.color(QPalette::Highlight), width = 3;
    if (m_highlighted) color = validColor(), width = 4;
    p->setPen(QPen(color, width, Qt::SolidLine, Qt::RoundCap));
    p->setBrush(Qt::NoBrush);
    p->drawPath(m_path);

    // Arrow head just before the input port.
    const QPointF end = m_path.pointAtPercent(1.0);
    QPolygonF head;
    head << end + QPointF(-7, 0) << end + QPointF(-15, -5) << end + QPointF(-15, 5);
    p->setPen(Qt::NoPen);
    p->setBrush(color);
    p->drawPolygon(head);

    if (!m_label.isEmpty()) {
        const QRectF lr = labelRect();
        p->setPen(QPen(color, 1));
        p->setBrush(pal.color(QPalette::Base));
        p->drawRoundedRect(lr, 4, 4);
        p->setFont(labelFont());
        p->setPen(pal.color(QPalette::Text));
        p->drawText(lr, Qt::AlignCenter, m_label);
    }
}

}  // namespace netloom::ui
