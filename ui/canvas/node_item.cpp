#include "ui/canvas/node_item.h"

#include <QApplication>
#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "engine/layers/training_params.h"
#include "ui/canvas/graph_scene.h"
#include "ui/canvas/node_geometry.h"
#include "ui/canvas/ports.h"
#include "ui/commands/transfer_commands.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

// "units 128 · bias" — the few parameters that tell two cards of a kind apart.
QString paramSummary(const engine::Node& node) {
    const engine::LayerDef* def = engine::findLayerDef(node.type);
    if (!def) return {};
    const engine::Params p = effectiveParams(node);
    QStringList parts;
    for (const auto& spec : def->schema()) {
        if (!p.has(spec.key)) continue;
        const engine::ParamValue& v = p.values().at(spec.key);
        const QString label = QString::fromStdString(spec.key);
        const auto* i = std::get_if<int64_t>(&v);
        if (auto b = std::get_if<bool>(&v)) {
            if (*b) parts << label;
        } else if (i && *i == 0 && !spec.zeroMeans.empty()) {
            parts << label + " = " + QString::fromStdString(spec.zeroMeans);  // not "stride 0"
        } else {
            parts << label + " " + QString::fromStdString(engine::paramValueToString(v));
        }
    }
    return parts.join(QStringLiteral(" · "));
}

// A padlock: body and shackle, the shackle swung open when the layer trains.
void paintLock(QPainter* p, const QRectF& r, bool closed, const QColor& color) {
    p->save();
    const QRectF body(r.left() + r.width() * 0.18, r.top() + r.height() * 0.45, r.width() * 0.64,
                      r.height() * 0.5);
    QPen pen(color, 1.6);
    pen.setCapStyle(Qt::RoundCap);
    p->setPen(pen);
    const double sw = body.width() * 0.62;
    const QRectF shackle(body.center().x() - sw / 2 + (closed ? 0 : sw * 0.55),
                         r.top() + r.height() * 0.1, sw, r.height() * 0.7);
    p->setBrush(Qt::NoBrush);
    p->drawArc(shackle, 0, 180 * 16);
    p->drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), body.top()));
    if (closed)
        p->drawLine(QPointF(shackle.right(), shackle.center().y()),
                    QPointF(shackle.right(), body.top()));
    p->setBrush(closed ? color : Qt::NoBrush);
    p->drawRoundedRect(body, 1.5, 1.5);
    p->restore();
}

}  // namespace

QString NodeItem::summaryText() const {
    GraphScene* s = graphScene();
    const engine::Node* node = s ? s->document()->graph().findNode(m_id) : nullptr;
    return node ? paramSummary(*node) : QString();
}

NodeItem::NodeItem(const std::string& nodeId) : m_id(nodeId) {
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(1);
}

GraphScene* NodeItem::graphScene() const {
    return qobject_cast<GraphScene*>(scene());
}

QRectF NodeItem::cardRect() const {
    return geom::cardRect(rows());
}

QRectF NodeItem::nameRect() const {
    return {10, geom::kHeaderHeight + 4, geom::kCardWidth - 20, 20};
}

QRectF NodeItem::lockRect() const {
    const QRectF nr = nameRect();
    return {nr.right() - 16, nr.top() + 2, 16, 16};
}

bool NodeItem::showsLock() const {
    GraphScene* s = graphScene();
    const engine::NodeAnalysis* na = s ? s->document()->nodeAnalysis(m_id) : nullptr;
    const engine::Node* node = s ? s->document()->graph().findNode(m_id) : nullptr;
    // A frozen layer always shows its lock, even while a problem hides its parameter count.
    return node && (engine::isFrozen(node->params) || (na && na->ok && na->parameters > 0));
}

void NodeItem::toggleFrozen() {
    GraphScene* s = graphScene();
    const engine::Node* node = s ? s->document()->graph().findNode(m_id) : nullptr;
    if (!node) return;
    // A card in a selection of several takes the whole selection along.
    std::vector<std::string> ids = s->selectedNodeIds();
    if (std::find(ids.begin(), ids.end(), m_id) == ids.end()) ids = {m_id};
    try {
        s->document()->undoStack()->push(
            new SetFrozenCommand(s->document(), ids, !engine::isFrozen(node->params)));
    } catch (const netloom::Error& e) {
        emit s->statusMessage(QString::fromStdString(e.what()));
    }
}

void NodeItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton && showsLock() && lockRect().contains(event->pos())) {
        toggleFrozen();
        event->accept();
        return;
    }
    QGraphicsItem::mousePressEvent(event);
}

QRectF NodeItem::boundingRect() const {
    const double m = geom::kPortHitRadius;
    return cardRect().adjusted(-m, -2, m, 2);
}

void NodeItem::refresh() {
    GraphScene* s = graphScene();
    if (!s) return;
    const GraphDocument& doc = *s->document();
    const engine::Node* node = doc.graph().findNode(m_id);
    if (!node) return;
    const int ports = visibleInputPorts(doc.graph(), *node);
    const int outs = outputPorts(*node);
    if (ports != m_inputPorts || outs != m_outputPorts) {
        prepareGeometryChange();
        m_inputPorts = ports;
        m_outputPorts = outs;
    }
    const engine::LayerDef* def = engine::findLayerDef(node->type);
    const engine::NodeAnalysis* na = doc.nodeAnalysis(m_id);
    QString tip = "<b>" + QString::fromStdString(node->name).toHtmlEscaped() + "</b> (" +
                  QString::fromStdString(def ? def->displayName() : node->type) + ")";
    if (na && !na->error.empty()) {
        tip += "<br><span style='color:#d63a3a'>" +
               QString::fromStdString(na->error).toHtmlEscaped() + "</span>";
    } else if (na && na->ok) {
        QString outputs;
        for (size_t k = 0; k < na->outputs.size(); ++k)
            outputs += (k ? ", " : "") +
                       (na->outputs.size() > 1
                            ? QString::fromStdString(outputPortName(*node, int(k))) + " "
                            : QString()) +
                       QString::fromStdString(na->outputs[k].toString());
        tip += "<br>Output: " + outputs + "<br>Parameters: " + QString::number(na->parameters) +
               "<br>FLOPs per sample: " + humanCount(na->flops);
    } else {
        tip += "<br>Waiting for a valid input";
    }
    const bool frozen = engine::isFrozen(node->params);
    const double multiplier = engine::lrMultiplierOf(node->params);
    if (frozen)
        tip +=
            "<br>Frozen: training leaves its weights as they are (click the lock to "
            "unfreeze)";
    else if (multiplier != 1.0)
        tip += "<br>Learning rate × " + QString::number(multiplier, 'g', 6);
    const std::string comment = doc.nodeUi(m_id).comment;
    if (!comment.empty())
        tip += "<br><i>" + QString::fromStdString(comment).toHtmlEscaped() + "</i>";
    const QString cardTip = "<p style='white-space:pre-wrap; max-width:360px'>" + tip + "</p>";
    if (m_cardToolTip)
        m_cardToolTip = cardTip;  // a port's name shows while hovered; the card's comes back
    else
        setToolTip(cardTip);
    update();
}

QPointF NodeItem::inputPortScenePos(int index) const {
    return mapToScene(geom::inputPortPos(index, m_inputPorts, rows()));
}

QPointF NodeItem::outputPortScenePos(int index) const {
    return mapToScene(geom::outputPortPos(index, m_outputPorts, rows()));
}

std::optional<PortRef> NodeItem::portAt(QPointF scenePos) const {
    auto near = [&](QPointF c) {
        const QPointF d = c - scenePos;
        return std::hypot(d.x(), d.y()) <= geom::kPortHitRadius;
    };
    for (int k = 0; k < m_outputPorts; ++k)
        if (near(outputPortScenePos(k))) return PortRef{m_id, false, k};
    for (int i = 0; i < m_inputPorts; ++i)
        if (near(inputPortScenePos(i))) return PortRef{m_id, true, i};
    return std::nullopt;
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionHasChanged) {
        if (GraphScene* s = graphScene()) s->nodeItemMoved(m_id);
    }
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    if (GraphScene* s = graphScene()) emit s->renameRequested(QString::fromStdString(m_id));
    event->accept();
}

void NodeItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
    std::optional<PortRef> port = portAt(event->scenePos());
    if (port != m_hoverPort) {
        m_hoverPort = port;
        setCursor(port ? Qt::CrossCursor : Qt::ArrowCursor);
        // A port's name as its tooltip ("sequence", "hidden", ...); the card's otherwise.
        if (port && !m_cardToolTip) m_cardToolTip = toolTip();
        if (!port && m_cardToolTip) {
            setToolTip(*m_cardToolTip);
            m_cardToolTip.reset();
        }
        if (port)
            if (GraphScene* s = graphScene())
                if (const engine::Node* n = s->document()->graph().findNode(m_id)) {
                    const std::string name = port->input ? inputPortName(*n, port->index)
                                                         : outputPortName(*n, port->index);
                    setToolTip(QString::fromStdString(name));
                }
        update();
    }
}

void NodeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
    m_hoverPort.reset();
    if (m_cardToolTip) {
        setToolTip(*m_cardToolTip);
        m_cardToolTip.reset();
    }
    unsetCursor();
    update();
}

void NodeItem::paintPort(QPainter* p, QPointF c, const PortRef& port, bool connected,
                         const QColor& accent) const {
    const QPalette pal = QApplication::palette();
    const GraphScene* s = graphScene();
    const PortState state = s ? s->portState(port) : PortState::Idle;
    double r = geom::kPortRadius;
    QColor fill = connected ? accent : pal.color(QPalette::Base);
    QColor ring = accent.darker(130);
    switch (state) {
        case PortState::Idle:
            break;
        case PortState::Candidate:
            fill = mix(pal.color(QPalette::Base), validColor(), 0.35);
            ring = validColor();
            r += 1;
            break;
        case PortState::Refused:
            fill = mix(pal.color(QPalette::Base), pal.color(QPalette::Mid), 0.5);
            ring = pal.color(QPalette::Mid);
            r -= 1;
            break;
        case PortState::Target:
            fill = validColor();
            ring = validColor().darker(140);
            r += 3;
            break;
        case PortState::RefusedTarget:
            fill = errorColor();
            ring = errorColor().darker(140);
            r += 3;
            break;
        case PortState::Source:
            fill = accent.lighter(120);
            r += 2;
            break;
    }
    if (m_hoverPort == port && state == PortState::Idle) r += 2;
    p->setPen(QPen(ring, 1.6));
    p->setBrush(fill);
    p->drawEllipse(c, r, r);
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    GraphScene* s = graphScene();
    if (!s) return;
    const GraphDocument& doc = *s->document();
    const engine::Node* node = doc.graph().findNode(m_id);
    if (!node) return;
    const engine::LayerDef* def = engine::findLayerDef(node->type);
    const engine::NodeAnalysis* na = doc.nodeAnalysis(m_id);
    const bool error = na && !na->error.empty();
    const QString category = def ? QString::fromStdString(def->category()) : QString("Other");
    const QColor accent = categoryColor(category);
    const QPalette pal = widget ? widget->palette() : QApplication::palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QRectF r = cardRect();
    const double w = r.width();
    p->setRenderHint(QPainter::Antialiasing);

    QPainterPath card;
    card.addRoundedRect(r, 7, 7);
    // Soft shadow, then body and header.
    p->fillPath(card.translated(0, 2), QColor(0, 0, 0, 40));
    p->fillPath(card, error ? mix(base, errorColor(), 0.14) : mix(base, accent, 0.07));
    QPainterPath headerClip;
    headerClip.addRect(QRectF(0, 0, w, geom::kHeaderHeight));
    p->fillPath(card.intersected(headerClip), error ? errorColor() : accent);

    // Header: icon, layer type, parameter count.
    categoryIcon(category).paint(p, QRect(5, 4, 16, 16));
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    QFont bold = small;
    bold.setBold(true);
    p->setPen(Qt::white);
    p->setFont(bold);
    const QString typeName = QString::fromStdString(def ? def->displayName() : node->type);
    QString count;
    if (na && na->ok && na->parameters > 0) count = humanCount(na->parameters) + " params";
    const double countWidth = count.isEmpty() ? 0 : QFontMetricsF(small).horizontalAdvance(count);
    p->drawText(QRectF(26, 0, w - 34 - countWidth, geom::kHeaderHeight),
                Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(bold).elidedText(typeName, Qt::ElideRight, w - 36 - countWidth));
    if (!count.isEmpty()) {
        p->setFont(small);
        p->drawText(QRectF(0, 0, w - 8, geom::kHeaderHeight), Qt::AlignVCenter | Qt::AlignRight,
                    count);
    }

    // Body: name, output shape or error, key parameters.
    QFont nameFont = QApplication::font();
    nameFont.setBold(true);
    p->setFont(nameFont);
    p->setPen(text);
    QRectF nr = nameRect();
    const bool frozen = engine::isFrozen(node->params);
    const double multiplier = engine::lrMultiplierOf(node->params);
    if (showsLock()) {
        // The lock and, when not 1, the learning-rate multiplier sit at the name's right end.
        const QColor lockColor = frozen ? accent.darker(140) : pal.color(QPalette::PlaceholderText);
        paintLock(p, lockRect(), frozen, lockColor);
        nr.setRight(lockRect().left() - 4);
        if (!frozen && multiplier != 1.0) {
            const QString mult = "×" + QString::number(multiplier, 'g', 3);
            QFont multFont = QApplication::font();
            multFont.setPointSizeF(multFont.pointSizeF() * 0.85);
            const double mw = QFontMetricsF(multFont).horizontalAdvance(mult);
            p->setFont(multFont);
            p->setPen(pal.color(QPalette::PlaceholderText));
            p->drawText(QRectF(nr.right() - mw, nr.top(), mw, nr.height()),
                        Qt::AlignVCenter | Qt::AlignRight, mult);
            nr.setRight(nr.right() - mw - 4);
            p->setFont(nameFont);
            p->setPen(text);
        }
    }
    p->drawText(nr, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(nameFont).elidedText(QString::fromStdString(node->name),
                                                   Qt::ElideRight, nr.width()));
    p->setFont(small);
    QString status;
    QColor statusColor = text;
    if (error) {
        status = "⚠ " + QString::fromStdString(na->error);
        statusColor = errorColor();
    } else if (na && na->ok) {
        status = "→ " + QString::fromStdString(na->output.toString());
    } else {
        status = "→ ?";
        statusColor = pal.color(QPalette::PlaceholderText);
    }
    p->setPen(statusColor);
    const QRectF sr(10, nr.bottom(), w - 20, 16);
    p->drawText(sr, Qt::AlignVCenter | Qt::AlignLeft,
                QFontMetricsF(small).elidedText(status, Qt::ElideRight, sr.width()));
    const QString summary = paramSummary(*node);
    if (!summary.isEmpty() && r.height() >= sr.bottom() + 14) {
        p->setPen(pal.color(QPalette::PlaceholderText));
        const QRectF pr(10, sr.bottom(), w - 20, 15);
        p->drawText(pr, Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetricsF(small).elidedText(summary, Qt::ElideRight, pr.width()));
    }

    // Outline: selection wins over error, error over the plain accent.
    QPen outline(accent.darker(125), 1.2);
    if (error) outline = QPen(errorColor(), 2);
    if (option->state & QStyle::State_Selected) outline = QPen(pal.color(QPalette::Highlight), 3);
    p->setPen(outline);
    p->setBrush(Qt::NoBrush);
    p->drawPath(card);

    // Ports.
    std::vector<bool> connected(static_cast<size_t>(m_inputPorts), false);
    for (const auto& e : doc.graph().inputsOf(m_id))
        if (e.toPort >= 0 && e.toPort < m_inputPorts) connected[size_t(e.toPort)] = true;
    for (int i = 0; i < m_inputPorts; ++i)
        paintPort(p, geom::inputPortPos(i, m_inputPorts, rows()), {m_id, true, i},
                  connected[size_t(i)], accent);
    std::vector<bool> used(static_cast<size_t>(m_outputPorts), false);
    for (const auto& e : doc.graph().outputsOf(m_id))
        if (e.fromPort >= 0 && e.fromPort < m_outputPorts) used[size_t(e.fromPort)] = true;
    for (int k = 0; k < m_outputPorts; ++k)
        paintPort(p, geom::outputPortPos(k, m_outputPorts, rows()), {m_id, false, k},
                  used[size_t(k)], accent);
}

}  // namespace netloom::ui
