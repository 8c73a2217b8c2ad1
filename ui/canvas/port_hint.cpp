#include "ui/canvas/port_hint.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>

#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {
constexpr double kMaxWidth = 300;
constexpr double kPad = 6;
}  // namespace

PortHintItem::PortHintItem() {
    setFlag(ItemIgnoresTransformations);  // readable at any zoom
    setZValue(20);                        // above cards and the dragged wire
    setAcceptedMouseButtons(Qt::NoButton);
    hide();
}

void PortHintItem::showAt(QPointF portScenePos, const QString& text, Tone tone) {
    prepareGeometryChange();
    m_text = text;
    m_tone = tone;
    const QFontMetricsF fm(QApplication::font());
    const QRectF textRect =
        fm.boundingRect(QRectF(0, 0, kMaxWidth, 1000), Qt::TextWordWrap, m_text);
    // Just above the card of the port (clear of its name and of the cursor), starting at the
    // port's x: a port sits about 50 px below its card's top at 100 %.
    m_rect = QRectF(-8, -textRect.height() - 2 * kPad - 62, textRect.width() + 2 * kPad,
                    textRect.height() + 2 * kPad);
    setPos(portScenePos);
    show();
    update();
}

QRectF PortHintItem::boundingRect() const {
    return m_rect.adjusted(-1, -1, 1, 1);
}

void PortHintItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    const QPalette pal = QApplication::palette();
    const QColor edge = m_tone == Tone::Refused ? errorColor() : pal.color(QPalette::Highlight);
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(edge, 1.2));
    p->setBrush(pal.color(QPalette::ToolTipBase));
    p->drawRoundedRect(m_rect, 4, 4);
    p->setPen(pal.color(QPalette::ToolTipText));
    p->setFont(QApplication::font());
    p->drawText(m_rect.adjusted(kPad, kPad, -kPad, -kPad), Qt::TextWordWrap, m_text);
}

}  // namespace netloom::ui
