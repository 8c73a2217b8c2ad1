#pragma once
// A small label beside the port under the cursor while a connection is dragged: why the
// connection is refused ("connecting 'a' to 'b' would create a cycle"), or what releasing does.
// It stays the same size on screen at every zoom.
#include <QGraphicsItem>
#include <QString>

namespace netloom::ui {

class PortHintItem : public QGraphicsItem {
public:
    enum class Tone { Refused, Offer };
    PortHintItem();
    // Shows `text` with its left edge just right of and above the port at `portScenePos`.
    void showAt(QPointF portScenePos, const QString& text, Tone tone);
    QString text() const { return m_text; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    QString m_text;
    Tone m_tone = Tone::Refused;
    QRectF m_rect;
};

}  // namespace netloom::ui
