#include "ui/canvas/group_items.h"

#include <QApplication>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QWidget>
#include <algorithm>

#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_geometry.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

constexpr double kFrameMargin = 18;
constexpr double kFrameLabel = 26;
const QColor kGroupColor(0x5b, 0x6b, 0x8c);

QFont smallFont() {
    QFont f = QApplication::font();
    f.setPointSizeF(f.pointSizeF() * 0.85);
    return f;
}

const engine::NodeGroup* groupIn(const GraphScene* s, const std::string& id) {
    return s ? engine::findGroup(s->document()->groups(), id) : nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Expanded: the frame

GroupFrameItem::GroupFrameItem(const std::string& groupId) : m_id(groupId) {
    setFlags(ItemIsMovable | ItemIsSelectable);
    setZValue(-1);  // behind edges and cards
}

GraphScene* GroupFrameItem::graphScene() const {
    return qobject_cast<GraphScene*>(scene());
}

void GroupFrameItem::refresh() {
    GraphScene* s = graphScene();
    if (!s) return;
    const QRectF members = s->memberCardBounds(m_id);
    const QRectF r =
        members.adjusted(-kFrameMargin, -kFrameMargin - kFrameLabel, kFrameMargin, kFrameMargin);
    prepareGeometryChange();
    m_rect = QRectF(QPointF(0, 0), r.size());
    if (pos() != r.topLeft()) setPos(r.topLeft());
    update();
}

QRectF GroupFrameItem::labelRect() const {
    return {12, 4, std::max(60.0, m_rect.width() - 24), kFrameLabel - 6};
}

void GroupFrameItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    const engine::NodeGroup* g = groupIn(graphScene(), m_id);
    if (!g) return;
    const QPalette pal = widget ? widget->palette() : QApplication::palette();
    p->setRenderHint(QPainter::Antialiasing);
    QColor fill = kGroupColor;
    fill.setAlphaF(0.07f);
    const bool selected = option->state & QStyle::State_Selected;
    p->setPen(QPen(selected ? pal.color(QPalette::Highlight) : kGroupColor, selected ? 2.5 : 1.4,
                   Qt::DashLine));
    p->setBrush(fill);
    p->drawRoundedRect(m_rect.adjusted(1, 1, -1, -1), 10, 10);
    QFont bold = QApplication::font();
    bold.setBold(true);
    p->setFont(bold);
    p->setPen(kGroupColor.darker(pal.color(QPalette::Base).lightness() > 128 ? 110 : 60));
    const QString name = QString::fromStdString(g->name);
    const double nameWidth = QFontMetricsF(bold).horizontalAdvance(name);
    const QRectF lr = labelRect();
    p->drawText(lr, Qt::AlignVCenter | Qt::AlignLeft, name);
    if (GraphScene* s = graphScene()) {
        const engine::GroupSummary sum =
            engine::summarizeGroup(s->document()->graph(), s->document()->analysis(), *g);
        p->setFont(smallFont());
        p->setPen(pal.color(QPalette::PlaceholderText));
        QString info = QString::number(g->members.size()) + " layers";
        if (sum.ok) info += " · " + humanCount(sum.parameters) + " params";
        p->drawText(lr.adjusted(nameWidth + 12, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                    info + "  ·  double-click to collapse");
    }
}

void GroupFrameItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    // The frame and its members are selected together, so Qt's move of the selection moves
    // them together; the scene turns the drag into one move command.
    if (GraphScene* s = graphScene(); s && event->button() == Qt::LeftButton) {
        if (!(event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier))) s->clearSelection();
        setSelected(true);
        if (const engine::NodeGroup* g = groupIn(s, m_id))
            for (const std::string& id : g->members)
                if (NodeItem* item = s->nodeItem(id)) item->setSelected(true);
    }
    QGraphicsItem::mousePressEvent(event);
}

void GroupFrameItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (GraphScene* s = graphScene()) {
        if (labelRect().contains(event->pos()) &&
            event->pos().x() < labelRect().left() + 120)  // on the name: rename
            emit s->renameGroupRequested(QString::fromStdString(m_id));
        else
            s->setGroupCollapsed(m_id, true);
    }
    event->accept();
}

// ---------------------------------------------------------------------------------------------
// Collapsed: one card

GroupCardItem::GroupCardItem(const std::string& groupId) : m_id(groupId) {
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setZValue(1);
}

GraphScene* GroupCardItem::graphScene() const {
    return qobject_cast<GraphScene*>(scene());
}

int GroupCardItem::rows() const {
    return std::max({inputPortCount(), outputPortCount(), 2});
}

QRectF GroupCardItem::cardRect() const {
    return geom::cardRect(rows());
}

QRectF GroupCardItem::nameRect() const {
    return {10, geom::kHeaderHeight + 4, geom::kCardWidth - 20, 20};
}

QRectF GroupCardItem::boundingRect() const {
    const double m = geom::kPortHitRadius;
    return cardRect().adjusted(-m, -2, m, 6);
}

void GroupCardItem::refresh() {
    GraphScene* s = graphScene();
    if (!s) return;
    const engine::NodeGroup* g = groupIn(s, m_id);
    if (!g) return;
    prepareGeometryChange();
    m_summary = engine::summarizeGroup(s->document()->graph(), s->document()->analysis(), *g);
    m_members = static_cast<int>(g->members.size());
    // Where the first member (a block's entry) is: the card takes that layer's place.
    const NodeItem* first = s->nodeItem(g->members.front());
    const QPointF topLeft = first ? first->pos() : s->memberCardBounds(m_id).topLeft();
    if (pos() != topLeft) {
        m_placing = true;
        setPos(topLeft);
        m_placing = false;
    }
    setToolTip("<p style='white-space:pre-wrap'><b>" +
               QString::fromStdString(g->name).toHtmlEscaped() + "</b> (group of " +
               QString::number(m_members) + " layers)<br>" + summaryText().toHtmlEscaped() +
               "<br>Double-click to expand</p>");
    update();
}

QString GroupCardItem::summaryText() const {
    QString text = QString::fromStdString(m_summary.shapeText());
    if (m_summary.ok) text += " · " + humanCount(m_summary.parameters) + " params";
    return text + " · " + QString::number(m_members) + " layers";
}

int GroupCardItem::inputIndexOf(const std::string& nodeId, int port) const {
    for (size_t i = 0; i < m_summary.inputs.size(); ++i)
        if (m_summary.inputs[i].nodeId == nodeId && m_summary.inputs[i].port == port)
            return static_cast<int>(i);
    return -1;
}

int GroupCardItem::outputIndexOf(const std::string& nodeId, int port) const {
    for (size_t i = 0; i < m_summary.outputs.size(); ++i)
        if (m_summary.outputs[i].nodeId == nodeId && m_summary.outputs[i].port == port)
            return static_cast<int>(i);
    return -1;
}

QPointF GroupCardItem::inputPortScenePos(int index) const {
    return mapToScene(geom::inputPortPos(index, std::max(1, inputPortCount()), rows()));
}

QPointF GroupCardItem::outputPortScenePos(int index) const {
    return mapToScene(geom::outputPortPos(index, std::max(1, outputPortCount()), rows()));
}

QVariant GroupCardItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionChange && !m_placing)
        if (GraphScene* s = graphScene()) s->groupCardDragged(m_id, value.toPointF() - pos());
    if (change == ItemPositionHasChanged && !m_placing)
        if (GraphScene* s = graphScene()) s->groupCardMoved(m_id);
    return QGraphicsItem::itemChange(change, value);
}

void GroupCardItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (GraphScene* s = graphScene()) s->setGroupCollapsed(m_id, false);
    event->accept();
}

void GroupCardItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    const engine::NodeGroup* g = groupIn(graphScene(), m_id);
    if (!g) return;
    const QPalette pal = widget ? widget->palette() : QApplication::palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QRectF r = cardRect();
    const double w = r.width();
    p->setRenderHint(QPainter::Antialiasing);
    QPainterPath card;
    card.addRoundedRect(r, 7, 7);
    // A second card peeking out behind: "more than one layer in here".
    p->fillPath(card.translated(5, 5), QColor(0, 0, 0, 30));
    p->setPen(QPen(kGroupColor.darker(125), 1));
    p->setBrush(base);
    p->drawPath(card.translated(4, 4));
    p->fillPath(card, QColor::fromRgbF(base.redF() * 0.9f + kGroupColor.redF() * 0.1f,
                                       base.greenF() * 0.9f + kGroupColor.greenF() * 0.1f,
                                       base.blueF() * 0.9f + kGroupColor.blueF() * 0.1f));
    QPainterPath header;
    header.addRect(QRectF(0, 0, w, geom::kHeaderHeight));
    p->fillPath(card.intersected(header), kGroupColor);

    QFont small = smallFont();
    QFont bold = small;
    bold.setBold(true);
    p->setPen(Qt::white);
    p->setFont(bold);
    p->drawText(QRectF(10, 0, w - 20, geom::kHeaderHeight), Qt::AlignVCenter | Qt::AlignLeft,
                "▣ Group");
    if (m_summary.ok) {
        p->setFont(small);
        p->drawText(QRectF(0, 0, w - 8, geom::kHeaderHeight), Qt::AlignVCenter | Qt::AlignRight,
                    humanCount(m_summary.parameters) + " params");
    }
    QFont nameFont = QApplication::font();
    nameFont.setBold(true);
    p->setFont(nameFont);
    p->setPen(text);
    const QRectF nr = nameRect();
    p->drawText(nr, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(nameFont).elidedText(QString::fromStdString(g->name), Qt::ElideRight,
                                                   nr.width()));
    p->setFont(small);
    p->setPen(m_summary.ok ? text : errorColor());
    const QRectF sr(10, nr.bottom(), w - 20, 16);
    p->drawText(sr, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(small).elidedText(QString::fromStdString(m_summary.shapeText()),
                                                Qt::ElideRight, sr.width()));
    p->setPen(pal.color(QPalette::PlaceholderText));
    p->drawText(QRectF(10, sr.bottom(), w - 20, 15), Qt::AlignVCenter | Qt::AlignLeft,
                QString::number(m_members) + " layers");

    const bool selected = option->state & QStyle::State_Selected;
    p->setPen(selected ? QPen(pal.color(QPalette::Highlight), 3)
                       : QPen(kGroupColor.darker(125), 1.2));
    p->setBrush(Qt::NoBrush);
    p->drawPath(card);
    p->setPen(QPen(kGroupColor.darker(130), 1.6));
    p->setBrush(kGroupColor);
    for (int i = 0; i < inputPortCount(); ++i)
        p->drawEllipse(geom::inputPortPos(i, inputPortCount(), rows()), geom::kPortRadius,
                       geom::kPortRadius);
    for (int k = 0; k < outputPortCount(); ++k)
        p->drawEllipse(geom::outputPortPos(k, outputPortCount(), rows()), geom::kPortRadius,
                       geom::kPortRadius);
}

}  // namespace netloom::ui
