#include "ui/canvas/edge_item.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "ui/canvas/graph_scene.h"
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

void EdgeItem::refresh() {
    GraphScene* s = graphScene();
    if (!s) return;
    NodeItem* from = s->nodeItem(m_edge.from);
    NodeItem* to = s->nodeItem(m_edge.to);
    if (!from || !to) return;
    prepareGeometryChange();
    m_path =
        curve(from->outputPortScenePos(m_edge.fromPort), to->inputPortScenePos(m_edge.toPort));
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
