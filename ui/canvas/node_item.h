#pragma once
// A node card on the canvas. It holds only the node id and draws from the document: category
// colour and icon, name, type, key parameters, output shape (or the error, in red), and ports.
#include <QGraphicsItem>
#include <algorithm>
#include <optional>
#include <string>

namespace netloom::ui {

class GraphScene;

struct PortRef {
    std::string nodeId;
    bool input = false;
    int index = 0;
    bool operator==(const PortRef&) const = default;
};

class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };

    explicit NodeItem(const std::string& nodeId);
    int type() const override { return Type; }
    const std::string& nodeId() const { return m_id; }

    // Re-reads the document (port count, tooltip, look).
    void refresh();
    int inputPortCount() const { return m_inputPorts; }
    QPointF inputPortScenePos(int index) const;
    int outputPortCount() const { return m_outputPorts; }
    QPointF outputPortScenePos(int index = 0) const;
    bool hasOutputPort() const { return true; }
    // The port within hit distance of a scene point.
    std::optional<PortRef> portAt(QPointF scenePos) const;
    QRectF cardRect() const;
    QRectF nameRect() const;  // where the name is drawn (for inline rename)
    // The lock toggle beside the name (layers with parameters only): closed when the layer is
    // frozen, faint and open when it trains. A click on it freezes or unfreezes the layer.
    QRectF lockRect() const;
    bool showsLock() const;
    // What a click on the lock does: one undo step (SetFrozenCommand).
    void toggleFrozen();
    // The key parameters the card shows under its name: "pool_size 2 · stride = pool size".
    QString summaryText() const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    GraphScene* graphScene() const;
    void paintPort(QPainter* p, QPointF centre, const PortRef& port, bool connected,
                   const QColor& accent) const;

    std::string m_id;
    int m_inputPorts = 1;
    int m_outputPorts = 1;
    int rows() const { return std::max(m_inputPorts, m_outputPorts); }
    std::optional<PortRef> m_hoverPort;
    std::optional<QString> m_cardToolTip;  // while a port's name is the tooltip
};

}  // namespace netloom::ui
